extension FileReader {
  /// Where a file system keeps its files, as far as mapping them is concerned: told by
  /// `statfs`, its type number on Linux (`f_type`) and its type name on Darwin
  /// (`f_fstypename`, with the `MNT_LOCAL` flag).
  ///
  /// A mapping of a file on a network or user-space file system turns every page fault into
  /// a round trip to the server or the file system's process, one page or one read-ahead
  /// window at a time, and a server that goes away into `SIGBUS`; a `pread` asks for a whole
  /// range at once and fails with an error. So ``FileReader`` reads such files with `pread`,
  /// as Foundation's `.mappedIfSafe` maps only local volumes.
  ///
  /// ## Topics
  ///
  /// ### Classes
  /// - ``local``
  /// - ``network(name:)``
  /// - ``userSpace(name:)``
  ///
  /// ### Inspecting a class
  /// - ``isRemote``
  public enum FileSystemClass: Sendable, Hashable, CustomStringConvertible {
    /// Local disks, memory, and everything else not known to be remote.
    case local
    /// A network file system, named: NFS, SMB and CIFS, 9p, Lustre, Ceph, AFS, Coda, GPFS,
    /// BeeGFS, OrangeFS, NetWare, WebDAV, AFP, a virtual machine's shared folder.
    case network(name: String)
    /// A file system served by a user-space process through FUSE (sshfs, GlusterFS, s3fs,
    /// rclone, and their kin on Darwin's macFUSE and FUSE-T), named.
    case userSpace(name: String)

    /// Whether mapping is the wrong way to read the file system's files: it is not local.
    public var isRemote: Bool { self != .local }

    /// The class in a few words, such as `a network file system (nfs)`.
    public var description: String {
      switch self {
      case .local: "a local file system"
      case .network(let name): "a network file system (\(name))"
      case .userSpace(let name): "a user-space file system (\(name))"
      }
    }

    /// The class of a Linux file system from its `statfs` type number, `f_type`.
    ///
    /// - Parameter type: The type number; only its low 32 bits count, since 32-bit
    ///   platforms store it sign-extended.
    internal init(linuxType type: Int64) {
      switch UInt32(truncatingIfNeeded: type) {
      case 0x6969: self = .network(name: "nfs")  // NFS_SUPER_MAGIC
      case 0x517b: self = .network(name: "smb")  // SMB_SUPER_MAGIC
      case 0xff53_4d42: self = .network(name: "cifs")  // CIFS_SUPER_MAGIC
      case 0xfe53_4d42: self = .network(name: "smb2")  // SMB2_SUPER_MAGIC
      case 0x0102_1997: self = .network(name: "9p")  // V9FS_MAGIC
      case 0x0bd0_0bd0: self = .network(name: "lustre")  // LL_SUPER_MAGIC
      case 0x00c3_6400: self = .network(name: "ceph")  // CEPH_SUPER_MAGIC
      case 0x5346_414f: self = .network(name: "afs")  // AFS_SUPER_MAGIC (OpenAFS)
      case 0x6b41_4653: self = .network(name: "kafs")  // AFS_FS_MAGIC
      case 0x7375_7245: self = .network(name: "coda")  // CODA_SUPER_MAGIC
      case 0x564c: self = .network(name: "ncp")  // NCP_SUPER_MAGIC
      case 0x4750_4653: self = .network(name: "gpfs")  // GPFS_SUPER_MAGIC
      case 0x1983_0326: self = .network(name: "beegfs")  // BEEGFS_MAGIC
      case 0x2003_0528: self = .network(name: "orangefs")  // ORANGEFS_DEVREQ_MAGIC
      case 0x786f_4256: self = .network(name: "vboxsf")  // VBOXSF_SUPER_MAGIC
      case 0x7c7c_6673: self = .network(name: "prl_fs")  // Parallels shared folders
      case 0x6573_5546: self = .userSpace(name: "fuse")  // FUSE_SUPER_MAGIC
      default: self = .local
      }
    }

    /// The class of a Darwin file system from its `statfs` type name, `f_fstypename`, and
    /// its `MNT_LOCAL` flag: a file system not marked local is remote, even with a name
    /// this doesn't know.
    internal init(darwinName name: String, isLocal: Bool) {
      switch name {
      case "nfs", "smbfs", "afpfs", "webdav", "cifs", "ftp", "9p":
        self = .network(name: name)
      case "macfuse", "osxfuse", "osxfusefs", "fusefs", "fuse-t", "sshfs":
        self = .userSpace(name: name)
      default:
        self = isLocal ? .local : .network(name: name)
      }
    }

    /// The class of the file system holding the file open as `fd`, or ``local`` if
    /// `fstatfs` fails (the mapping then fails, or works, as it would have anyway).
    ///
    /// - Parameters:
    ///   - fd: The open file.
    ///   - device: The file's device number (`st_dev`). On Linux a file system with a block
    ///     device of its own is local, and pays no `fstatfs`: every network and FUSE file
    ///     system has an anonymous device, of major number `0`.
    internal init(ofFileOpenAs fd: CInt, device: UInt64) {
      if let major = system_majorDevice(device), major != 0 {
        self = .local
        return
      }
      guard let fileSystem = system_fileSystem(fd) else {
        self = .local
        return
      }
      if let isLocal = fileSystem.isLocal {
        self.init(darwinName: fileSystem.name, isLocal: isLocal)
      } else {
        self.init(linuxType: fileSystem.type)
      }
    }
  }
}
