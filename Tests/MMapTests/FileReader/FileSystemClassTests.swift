import Foundation
import Testing

@testable import MMap

/// The file systems `FileReader` reads with `pread` rather than maps, told by `statfs`.
@Suite struct FileSystemClassTests {
  typealias FileSystemClass = FileReader.FileSystemClass

  /// Every Linux type number known to be remote, with the name it is given.
  static let remoteLinuxTypes: [(Int64, FileSystemClass)] = [
    (0x6969, .network(name: "nfs")), (0x517b, .network(name: "smb")),
    (0xff53_4d42, .network(name: "cifs")), (0xfe53_4d42, .network(name: "smb2")),
    (0x0102_1997, .network(name: "9p")), (0x0bd0_0bd0, .network(name: "lustre")),
    (0x00c3_6400, .network(name: "ceph")), (0x5346_414f, .network(name: "afs")),
    (0x6b41_4653, .network(name: "kafs")), (0x7375_7245, .network(name: "coda")),
    (0x564c, .network(name: "ncp")), (0x4750_4653, .network(name: "gpfs")),
    (0x1983_0326, .network(name: "beegfs")), (0x2003_0528, .network(name: "orangefs")),
    (0x786f_4256, .network(name: "vboxsf")), (0x7c7c_6673, .network(name: "prl_fs")),
    (0x6573_5546, .userSpace(name: "fuse")),
  ]

  @Test func linuxRemoteTypesAreClassifiedByName() {
    for (type, expected) in Self.remoteLinuxTypes {
      let found = FileSystemClass(linuxType: type)
      #expect(found == expected, "0x\(String(type, radix: 16))")
      #expect(found.isRemote)
      // A 32-bit f_type is sign-extended: the same class.
      #expect(FileSystemClass(linuxType: Int64(Int32(truncatingIfNeeded: type))) == expected)
    }
  }

  @Test func linuxLocalTypesAreLocal() {
    let local: [Int64] = [
      0xef53,  // ext2, ext3, ext4
      0x5846_5342,  // xfs
      0x9123_683e,  // btrfs
      0x0102_1994,  // tmpfs
      0x794c_7630,  // overlayfs
      0xf2f5_2010,  // f2fs
      0x7371_7368,  // squashfs
      0x9fa0,  // proc: a pseudo file system, handled on its own
      0,
    ]
    for type in local {
      #expect(FileSystemClass(linuxType: type) == .local, "0x\(String(type, radix: 16))")
      #expect(!FileSystemClass(linuxType: type).isRemote)
    }
  }

  @Test func darwinNamesAndTheLocalFlag() {
    for name in ["nfs", "smbfs", "afpfs", "webdav", "cifs", "ftp", "9p"] {
      #expect(FileSystemClass(darwinName: name, isLocal: false) == .network(name: name))
      #expect(FileSystemClass(darwinName: name, isLocal: true) == .network(name: name))
    }
    for name in ["macfuse", "osxfuse", "osxfusefs", "fusefs", "fuse-t", "sshfs"] {
      #expect(FileSystemClass(darwinName: name, isLocal: true) == .userSpace(name: name))
    }
    for name in ["apfs", "hfs", "msdos", "exfat", "devfs"] {
      #expect(FileSystemClass(darwinName: name, isLocal: true) == .local)
    }
    // A file system the list doesn't know, not marked local, is remote all the same.
    #expect(FileSystemClass(darwinName: "newfs", isLocal: false) == .network(name: "newfs"))
  }

  /// A remote file system turns a file that would be mapped into one read with pread; small
  /// and forced files are left as they were, and local ones are never asked about.
  @Test func remoteFileSystemChoosesPRead() {
    let options = FileReader.Options(windowThreshold: 1 << 30)
    let nfs = FileSystemClass.network(name: "nfs")
    let large = 1 << 20
    #expect(options.kind(forFileOf: large) { nfs } == (.pread, .remoteFileSystem(nfs)))
    #expect(options.kind(forFileOf: 1 << 30) { nfs } == (.pread, .remoteFileSystem(nfs)))
    #expect(options.kind(forFileOf: large) { .local } == (.mapped, .mappable))
    #expect(
      options.kind(forFileOf: 100) {
        Issue.record("asked"); return nfs
      } == (.memory, .small))
    let forced = FileReader.Options(kind: .mapped)
    #expect(
      forced.kind(forFileOf: large) {
        Issue.record("asked"); return nfs
      } == (.mapped, .forced))
    #expect(FileReader.Reason.remoteFileSystem(nfs).description == "on a network file system (nfs)")
  }

  /// The temporary directory is local: its files are mapped.
  @Test func temporaryDirectoryIsLocal() throws {
    let bytes = generatedBytes(count: 2 * FileReader.defaultMemoryThreshold, seed: 501)
    try withTemporaryFile(contents: bytes) { path in
      let fd = open(path, O_RDONLY)
      defer { close(fd) }
      var status = stat()
      #expect(fstat(fd, &status) == 0)
      let device = UInt64(truncatingIfNeeded: status.st_dev)
      #expect(FileSystemClass(ofFileOpenAs: fd, device: device) == .local)
      // Without the device shortcut, fstatfs itself says local.
      #expect(FileSystemClass(ofFileOpenAs: fd, device: 0) == .local)
      let reader = try FileReader.open(path: path)
      #expect(reader.kind == .mapped && reader.reason == .mappable)
    }
  }
}
