import Foundation
import MMap

extension MMapError: LocalizedError {
  /// The error's `MMapError/description`, with the operation, the path and `errno`, such as
  /// `open("/data/missing.bin") failed: No such file or directory (errno 2)`: what
  /// `localizedDescription` gives, wherever an application logs errors through Foundation.
  public var errorDescription: String? { description }

  /// The system's text for `errno`, such as `No such file or directory`.
  public var failureReason: String? { String(cString: strerror(errno)) }
}

extension MMapError: CustomNSError {
  /// `NSPOSIXErrorDomain`: bridged to `NSError`, the error is a POSIX error whose code is
  /// `errno`, as `POSIXError` bridges.
  public static var errorDomain: String { NSPOSIXErrorDomain }

  /// The error's `errno`.
  public var errorCode: Int { Int(errno) }

  /// The description and, where the error names one, the file's path
  /// (`NSFilePathErrorKey`), as Foundation's own file errors carry it.
  public var errorUserInfo: [String: Any] {
    var info: [String: Any] = [NSLocalizedDescriptionKey: description]
    if let path { info[NSFilePathErrorKey] = path }
    return info
  }
}

extension MMapError {
  /// The error as a `POSIXError` with the same code, for code that handles `POSIXError`, or
  /// `nil` if `errno` is not a code `POSIXErrorCode` knows.
  ///
  /// The description and the path go in its user info, which Darwin's `POSIXError` keeps and
  /// Linux's drops; to keep them everywhere, bridge the error itself to `NSError`
  /// (`error as NSError`): its domain is `NSPOSIXErrorDomain` and its code `errno`, as a
  /// `POSIXError`'s are.
  public var posixError: POSIXError? {
    POSIXErrorCode(rawValue: errno).map { POSIXError($0, userInfo: errorUserInfo) }
  }
}
