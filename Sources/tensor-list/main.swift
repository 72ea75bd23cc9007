// tensor-list: lists the tensors of a safetensors file, with each one's dtype, shape and byte
// range, and sums each F32 and F16 tensor in place when its offset is aligned, or from an
// aligned copy when it is not, saying which.
//
//     tensor-list FILE
//
// The format: an 8-byte little-endian header length N, N bytes of JSON mapping each tensor's
// name to its dtype, shape and data offsets (relative to the end of the header), then the
// tensors' bytes, little-endian.

import Foundation
import MMap
import MMapFoundation

/// Writes `text` to standard error and exits with status 1.
func fail(_ text: String) -> Never {
  FileHandle.standardError.write(Data(("tensor-list: " + text + "\n").utf8))
  exit(1)
}

/// One tensor the header describes.
struct Tensor {
  var name: String
  var dtype: String
  var shape: [Int]
  /// Reader offsets of its bytes.
  var bytes: Range<Int>
}

/// An invalid header, described.
struct HeaderError: Error {
  var reason: String
}

/// The tensors the header of the file in `reader` lists, in the order of their data.
func tensors(in reader: MMapReader) throws -> [Tensor] {
  let headerLength = try reader.integer(at: 0, as: UInt64.self)
  let header = try Range(offset: 8, count: headerLength)
  let json = try JSONSerialization.jsonObject(with: try reader.data(in: header))
  guard let entries = json as? [String: Any] else { throw HeaderError(reason: "not a JSON object") }
  var tensors: [Tensor] = []
  for (name, value) in entries where name != "__metadata__" {
    guard let fields = value as? [String: Any], let dtype = fields["dtype"] as? String,
      let shape = fields["shape"] as? [Int], let offsets = fields["data_offsets"] as? [Int],
      offsets.count == 2
    else { throw HeaderError(reason: "tensor \(name) has no dtype, shape or data_offsets") }
    // Offsets count from the end of the header: each goes through Range(offset:count:), which
    // throws for a negative one or an overflowing sum; one past the file throws below.
    let start = try Range(offset: header.upperBound, count: offsets[0]).upperBound
    let end = try Range(offset: header.upperBound, count: offsets[1]).upperBound
    guard start <= end else {
      throw HeaderError(reason: "tensor \(name) ends before it starts: \(offsets)")
    }
    let bytes = start..<end
    guard bytes.upperBound <= reader.count else {
      throw HeaderError(reason: "tensor \(name) at \(bytes) runs past the end of the file")
    }
    tensors.append(Tensor(name: name, dtype: dtype, shape: shape, bytes: bytes))
  }
  return tensors.sorted { ($0.bytes.lowerBound, $0.name) < ($1.bytes.lowerBound, $1.name) }
}

/// The sum of the tensor's elements of type `T`, as `Double`s in order, and how they were
/// read: in place through the typed view when aligned, else from an aligned copy.
func sum<T: BitwiseCopyable & BinaryFloatingPoint>(
  _ tensor: Tensor, as: T.Type, in reader: MMapReader
) throws -> (sum: Double, how: String) {
  do {
    let sum = try reader.withElements(in: tensor.bytes, as: T.self) { elements in
      var total = 0.0
      for index in elements.indices { total += Double(elements[index]) }
      return total
    }
    return (sum, "view")
  } catch let error as MMapError where error.elementMisfit?.misalignment ?? 0 != 0 {
    let elements = try reader.elements(in: tensor.bytes, as: T.self)
    return (elements.reduce(0.0) { $0 + Double($1) }, "copy")
  }
}

let arguments = CommandLine.arguments
guard arguments.count == 2 else { fail("usage: tensor-list FILE") }
let path = arguments[1]
do {
  let reader = try MMapReader(path: path)
  let list = try tensors(in: reader)
  print("\(path): \(list.count) tensors")
  for tensor in list {
    let shape = "[" + tensor.shape.map(String.init).joined(separator: ",") + "]"
    var line = "\(tensor.name)  \(tensor.dtype)  \(shape)  \(tensor.bytes)"
    switch tensor.dtype {
    case "F32":
      let (total, how) = try sum(tensor, as: Float.self, in: reader)
      line += "  sum=\(total) (\(how))"
    #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
      case "F16":
        let (total, how) = try sum(tensor, as: Float16.self, in: reader)
        line += "  sum=\(total) (\(how))"
    #endif
    default:
      break
    }
    print(line)
  }
} catch let error as HeaderError {
  fail("\(path): not a valid safetensors file: \(error.reason)")
} catch {
  fail("\(path): \(error)")
}
