import MMap

/// The page-cache residency of the whole file at `path` at `moment`, as `--residency` prints
/// it on standard error: `residency before: 12 of 262144 pages resident (0.0%), 49152 of
/// 1073741824 bytes`. Asked of a mapping of its own, which reads nothing in.
///
/// - Throws: What opening the file or asking `mincore` threw.
func residencyLine(_ moment: String, path: String) throws(MMapError) -> String {
  let reader = try MMapReader(path: path)
  defer { try? reader.close() }
  return "residency \(moment): \(try reader.residency())"
}
