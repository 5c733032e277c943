// swift-tools-version:6.1
// swift-tools-version 6.1 (not 6.0) so that `traits: []` on swift-protobuf is honoured (SwiftPM otherwise rebuilds
// SwiftProtobuf on about half of the builds).
import PackageDescription

let package = Package(
    name: "nncert",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "nncert", targets: ["nncert"]),
        .library(name: "Verifier", targets: ["Verifier"]),
        .library(name: "LipschitzSDP", targets: ["LipschitzSDP"]),
        .library(name: "NetworkCompression", targets: ["NetworkCompression"]),
        .library(name: "Differential", targets: ["Differential"]),
        .library(name: "Comparison", targets: ["Comparison"]),
        .library(name: "Reporting", targets: ["Reporting"]),
        .library(name: "Sweep", targets: ["Sweep"]),
        .library(name: "Suite", targets: ["Suite"]),
        .library(name: "Gate", targets: ["Gate"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0", traits: []),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C libraries (Debian: libglpk-dev, libopenblas-dev; glibc's malloc.h). Each is imported by exactly one
        // Swift file.
        .systemLibrary(name: "CGLPK", path: "Sources/CGLPK"),
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas"),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),

        .target(name: "Tensor", dependencies: ["CBLAS"]),
        .target(name: "Network", dependencies: ["Tensor"]),
        .target(
            name: "ONNX",
            dependencies: ["Network", .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        .target(name: "VNNLib", dependencies: ["Tensor"]),
        .target(name: "LinearProgramming", dependencies: ["CGLPK", "Tensor"]),
        .target(name: "Bounds", dependencies: ["Network", "Tensor"]),
        .target(name: "Branching", dependencies: ["Bounds", "Network", "Tensor"], resources: [.copy("Resources/gnn-default.json")]),
        .target(
            name: "Verifier",
            dependencies: [
                "Bounds", "Branching", "Differential", "LinearProgramming", "Network", "VNNLib",
                .product(name: "HeapModule", package: "swift-collections"),
            ]),
        .target(name: "LipschitzSDP", dependencies: ["Bounds", "Network", "Tensor"]),
        .target(name: "NetworkCompression", dependencies: ["Network", "Tensor"]),
        .target(
            name: "Differential",
            dependencies: ["Bounds", "Network", "Tensor", .product(name: "HeapModule", package: "swift-collections")]),
        .target(
            name: "Comparison",
            dependencies: ["Verifier", "Differential", "LipschitzSDP", "Bounds", "Network", "Tensor", "VNNLib"]),
        .target(name: "Reporting"),
        .target(name: "Suite", dependencies: ["Reporting", "Verifier", "ONNX", "VNNLib", "Network", "Tensor"]),
        .target(
            name: "Gate",
            dependencies: [
                "Comparison", "Reporting", "Verifier", "Differential", "LipschitzSDP", "Network", "ONNX", "Tensor",
                "VNNLib", .product(name: "Yams", package: "Yams"),
            ]),
        .target(
            name: "Sweep",
            dependencies: ["Comparison", "Gate", "NetworkCompression", "Reporting", "Verifier", "VNNLib", "Network", "Tensor"]),
        .executableTarget(
            name: "nncert",
            dependencies: [
                "Gate", "Reporting", "Suite", "Sweep", "Verifier", "LipschitzSDP", "NetworkCompression", "Differential", "Comparison", "ONNX", "VNNLib", "Network",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .target(name: "CMalloc", condition: .when(platforms: [.linux])),
            ]),

        // Benchmark driver for benchmarks/lipschitz (reads a JSON MLP, prints one line per method).
        .executableTarget(name: "lipschitz-bench", dependencies: ["LipschitzSDP", "Network", "Tensor"]),
        // Benchmark driver for benchmarks/branching (times the GNN's scoring on a network's graph).
        .executableTarget(name: "gnn-bench", dependencies: ["Branching", "ONNX", "Tensor"]),

        // Seeded file mutations shared by the fuzz tests (a library, not a test bundle, so that several use it).
        .target(name: "FuzzSupport", dependencies: ["Tensor"], path: "Tests/FuzzSupport"),
        // Seeded random networks shared by several test targets (a library for the same reason).
        .target(name: "TestSupport", dependencies: ["Network", "Tensor"], path: "Tests/TestSupport"),

        .testTarget(name: "TensorTests", dependencies: ["Tensor"]),
        .testTarget(name: "NetworkTests", dependencies: ["Network"]),
        .testTarget(
            name: "ONNXTests", dependencies: ["ONNX", "Network", "FuzzSupport", "TestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "VNNLibTests", dependencies: ["VNNLib", "FuzzSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LinearProgrammingTests", dependencies: ["LinearProgramming", "Tensor"]),
        .testTarget(name: "BoundsTests", dependencies: ["Bounds", "Network", "TestSupport"]),
        .testTarget(name: "BranchingTests", dependencies: ["Branching", "Bounds", "Network", "TestSupport"]),
        .testTarget(
            name: "VerifierTests",
            dependencies: [
                "Verifier", "LinearProgramming", "Network", "Tensor", "VNNLib", "ONNX", "Bounds", "FuzzSupport",
                "TestSupport", "LipschitzSDP", "Branching",
            ],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "LipschitzSDPTests", dependencies: ["LipschitzSDP", "Bounds", "Network", "Tensor", "TestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "CompressionTests", dependencies: ["NetworkCompression", "ONNX", "Network", "Tensor"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "DifferentialTests",
            dependencies: ["Differential", "NetworkCompression", "Network", "Tensor", "TestSupport"]),
        .testTarget(
            name: "ComparisonTests",
            dependencies: ["Comparison", "Verifier", "Differential", "NetworkCompression", "Network", "Tensor", "VNNLib", "ONNX",
                           "TestSupport"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting"]),
        .testTarget(
            name: "SweepTests",
            dependencies: ["Sweep", "Comparison", "NetworkCompression", "Verifier", "VNNLib", "Network", "Tensor",
                           "TestSupport"]),
        .testTarget(name: "SuiteTests", dependencies: ["Suite", "Reporting", "Verifier"]),
        .testTarget(
            name: "GateTests", dependencies: ["Gate", "Reporting", "Network", "Tensor", "VNNLib", "TestSupport"]),
        .testTarget(
            name: "CLITests", dependencies: ["nncert", "FuzzSupport", "Tensor", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v6]
)
