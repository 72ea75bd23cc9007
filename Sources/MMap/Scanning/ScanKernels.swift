// The one file that calls the CMMapScan kernels: AVX2 where the processor has it, portable C
// elsewhere, chosen at run time. Everything else scans through these wrappers.
internal import CMMapScan

/// The byte kernels over Swift buffers. Each reads only the bytes of the buffers it is given,
/// at any alignment and length, and returns indices into them.
@usableFromInline
internal enum ScanKernels {
  /// The number of bytes equal to `byte` in `bytes`.
  static func count(of byte: UInt8, in bytes: UnsafeRawBufferPointer) -> Int {
    cmmap_scan_count(bytes.baseAddress, bytes.count, byte)
  }

  /// The index of the first byte equal to `byte` in `bytes`, or `nil`.
  static func firstIndex(of byte: UInt8, in bytes: UnsafeRawBufferPointer) -> Int? {
    let index = cmmap_scan_first(bytes.baseAddress, bytes.count, byte)
    return index == bytes.count ? nil : index
  }

  /// The index of the last byte equal to `byte` in `bytes`, or `nil`.
  static func lastIndex(of byte: UInt8, in bytes: UnsafeRawBufferPointer) -> Int? {
    let index = cmmap_scan_last(bytes.baseAddress, bytes.count, byte)
    return index == bytes.count ? nil : index
  }

  /// The index in `bytes` of the first occurrence of `needle` that lies wholly inside it, or
  /// `nil`. `needle` must not be empty.
  static func firstIndex(
    of needle: UnsafeRawBufferPointer, in bytes: UnsafeRawBufferPointer
  ) -> Int? {
    let index = cmmap_scan_find(bytes.baseAddress, bytes.count, needle.baseAddress, needle.count)
    return index == bytes.count ? nil : index
  }

  /// How many entries past a block's byte count an offsets buffer of
  /// ``lineFeedOffsets(in:into:)`` needs.
  @usableFromInline
  static let offsetsSlack = Int(CMMAP_SCAN_OFFSETS_SLACK)

  /// Stores the index of every line feed (`0x0A`) in `block` in `offsets`, in increasing
  /// order, and returns how many there are. `block` holds at most `UInt32.max` bytes, and
  /// `offsets` has room for `block.count + offsetsSlack` entries.
  @usableFromInline
  static func lineFeedOffsets(
    in block: UnsafeRawBufferPointer, into offsets: UnsafeMutablePointer<UInt32>
  ) -> Int {
    cmmap_scan_offsets(block.baseAddress, block.count, 0x0A, offsets)
  }
}
