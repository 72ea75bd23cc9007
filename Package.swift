// swift-tools-version:6.2
import PackageDescription

let package = Package(
  name: "swift-mmap",
  // Atomic (the Synchronization module) sets the floor on Apple platforms.
  platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
  products: [
    .library(name: "MMap", targets: ["MMap"]),
    // The Foundation bridge: Data without copying, readers from URLs, NSError bridging.
    .library(name: "MMapFoundation", targets: ["MMapFoundation"]),
  ],
  targets: [
    .target(
      name: "MMap", dependencies: ["CMMapGuard", "CMMapScan", "CMMapSystem", "CMMapEpoch"]),
    // The SIGBUS handler that turns a file truncated under a mapping into an error: C, since
    // a signal handler must not enter the Swift runtime.
    .target(name: "CMMapGuard"),
    // MMap's byte-scanning kernels (AVX2 where the processor has it, portable C elsewhere),
    // chosen at run time: no compiler flags. An implementation detail, not a product.
    .target(name: "CMMapScan"),
    // Per-thread lookup records for ReloadingReader, read with membarrier(2): C, for its
    // thread-local variable and memory orderings Swift doesn't have.
    .target(name: "CMMapEpoch"),
    // The few system calls Swift's C library overlay doesn't import (fstatfs).
    .target(name: "CMMapSystem"),
    // The only module that imports Foundation; the core stays free of it.
    .target(name: "MMapFoundation", dependencies: ["MMap"]),
    // The benchmark's workloads, in a library so that its tests can run them; not a product.
    .target(name: "MMapBench", dependencies: ["MMap"]),
    .executableTarget(name: "mmap-bench", dependencies: ["MMapBench"]),
    .executableTarget(name: "mmap-c"),
    .executableTarget(name: "gen-fixture"),
    // An example: cat(1) through `write(_:to:)`, straight from the mapping.
    .executableTarget(name: "mmap-cat", dependencies: ["MMap"]),
    .executableTarget(name: "line-index", dependencies: ["MMap"]),
    // An example: tail -F, mapping only the bytes a file gained since the last look.
    .executableTarget(name: "mmap-tail", dependencies: ["MMap"]),
    .executableTarget(name: "record-lookup", dependencies: ["MMap"]),
    // An example: an HTTP/1.1 server of one directory, each file sent from its mapping.
    .executableTarget(name: "file-server", dependencies: ["MMap"]),
    // Examples on real formats: a ZIP archive's central directory, a safetensors file's tensors.
    .executableTarget(name: "zip-list", dependencies: ["MMap"]),
    .executableTarget(name: "tensor-list", dependencies: ["MMap", "MMapFoundation"]),
    // Scenarios for the truncation guard's tests that must be written in C.
    .target(name: "CMMapGuardProbes", dependencies: ["CMMapGuard"], path: "Tests/CMMapGuardProbes"),
    // A program that must die with the Swift runtime's full crash report, guard installed.
    .executableTarget(
      name: "guard-crash-probe", dependencies: ["MMap"], path: "Tests/GuardCrashProbe"),
    // The tests draw from the benchmark's seeded generator, and check the scanning kernels.
    .testTarget(
      name: "MMapTests",
      dependencies: ["MMap", "MMapBench", "CMMapScan", "CMMapGuard", "CMMapGuardProbes"]),
    .testTarget(name: "MMapBenchTests", dependencies: ["MMapBench", "MMap"]),
    .testTarget(name: "MMapFoundationTests", dependencies: ["MMapFoundation", "MMap"]),
    // Drives the built file-server with curl; it links nothing of the package.
    .testTarget(name: "FileServerTests"),
    // Runs the examples on real files: zip-list and tensor-list on files Python writes,
    // mmap-tail on a log a test appends to.
    .testTarget(name: "ExampleFormatTests"),
  ],
  swiftLanguageModes: [.v6]
)
