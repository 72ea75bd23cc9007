import Foundation
import Testing

@testable import MMap

/// Bad input gets a typed error naming the operation, the path and errno.
@Suite struct MMapReaderErrorTests {
  @Test func descriptionNamesOperationPathAndErrno() {
    let error = MMapError(.open, path: "/nonexistent/x", errno: ENOENT)
    #expect(
      error.description == "open(\"/nonexistent/x\") failed: No such file or directory (errno 2)")
    #expect(
      MMapError(.map, path: nil, errno: ENOMEM).description
        == "map() failed: Cannot allocate memory (errno 12)")
  }

  @Test func everyAdviceIsAcceptedOrRejectedWithATypedError() throws {
    try withTemporaryFile(contents: generatedBytes(count: 3 * pageSize + 17, seed: 1)) { path in
      let reader = try MMapReader(path: path, offset: 5)
      for advice in Advice.allCases {
        for range in [nil, 0..<1, 100..<(2 * pageSize + 3), (reader.count - 1)..<reader.count] {
          do throws(MMapError) {
            try reader.advise(advice, in: range)
          } catch {
            // Some kernels lack some advice (huge pages for files, populate-read before 5.14).
            #expect(error.operation == .advise && error.path == path && error.errno == EINVAL)
          }
        }
      }
      #expect(
        try reader.bytes(in: 0..<reader.count)
          == preadBytes(path: path, offset: 5, count: reader.count))
    }
  }

  /// `Advice` is a struct of static members: every one is in `allCases` once, prints its
  /// name, and stands for its own C constant.
  @Test func everyAdviceIsListedOnceWithItsNameAndConstant() {
    let named: [(Advice, String)] = [
      (.normal, "normal"), (.sequential, "sequential"), (.random, "random"),
      (.willNeed, "willNeed"), (.dontNeed, "dontNeed"), (.cold, "cold"), (.pageOut, "pageOut"),
      (.hugePage, "hugePage"), (.populateRead, "populateRead"),
    ]
    #expect(Advice.allCases == named.map(\.0))
    #expect(named.allSatisfy { "\($0.0)" == $0.1 })
    #expect(Advice.normal.systemValue == CInt(MADV_NORMAL))
    #expect(Advice.random.systemValue == CInt(MADV_RANDOM))
    let constants = Advice.allCases.compactMap(\.systemValue)
    #expect(Set(constants).count == constants.count)
  }

  @Test func adviceTheKernelRejectsThrowsEINVAL() throws {
    let path = fixturePath("one-page.bin")
    let reader = try MMapReader(path: path)
    #expect(throws: MMapError(.advise, path: path, errno: EINVAL)) {
      try reader.mapping.advise(9999, in: 0..<10, path: path)
    }
  }

  @Test func systemCallsInterruptedByASignalAreRetried() throws {
    var calls = 0
    let result = try checkSystemCall(.read, path: "/x") { () -> Int in
      calls += 1
      if calls <= 2 {
        system_errno = EINTR
        return -1
      }
      return 5
    }
    #expect(result == 5 && calls == 3)
    #expect(throws: MMapError(.read, path: "/x", errno: EINTR)) {
      try checkSystemCall(.read, path: "/x", retryOnInterrupt: false) { () -> Int in
        system_errno = EINTR
        return -1
      }
    }
  }
}
