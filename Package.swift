// swift-tools-version:6.1
import PackageDescription

// Strict Swift 6: language mode 6 everywhere, no warnings silenced.
let strict: [SwiftSetting] = [
  .swiftLanguageMode(.v6),
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
  name: "onvera",
  products: [
    .library(name: "ProtoWire", targets: ["ProtoWire"]),
    .library(name: "OnveraProto", targets: ["OnveraProto"]),
    .library(name: "OnveraRPC", targets: ["OnveraRPC"]),
    .library(name: "OnveraStandardServices", targets: ["OnveraStandardServices"]),
    .library(name: "GRPCNghttp2Transport", targets: ["GRPCNghttp2Transport"]),
    .library(name: "OnveraStore", targets: ["OnveraStore"]),
    .library(name: "Orchestrator", targets: ["Orchestrator"]),
    .library(name: "OnveraServer", targets: ["OnveraServer"]),
    .executable(name: "onvera-server", targets: ["onvera-server"]),
    .executable(name: "onvera", targets: ["onvera"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
  ],
  targets: [
    // MARK: C libraries
    .systemLibrary(
      name: "CNghttp2",
      pkgConfig: "libnghttp2",
      providers: [.apt(["libnghttp2-dev"])]
    ),
    .systemLibrary(
      name: "COpenSSL",
      pkgConfig: "openssl",
      providers: [.apt(["libssl-dev"])]
    ),
    .systemLibrary(name: "CMalloc"),
    .systemLibrary(
      name: "CZlib",
      pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"])]
    ),

    // MARK: protobuf
    .target(name: "ProtoWire", swiftSettings: strict),
    .target(name: "OnveraProto", dependencies: ["ProtoWire"], swiftSettings: strict),
    .target(
      name: "OnveraRPC",
      dependencies: [
        "OnveraProto", "ProtoWire",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "OnveraRPCTests",
      dependencies: [
        "OnveraRPC", "OnveraProto", "TestSupport",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCInProcessTransport", package: "grpc-swift-2"),
      ],
      swiftSettings: strict
    ),
    // grpc.health.v1 and server reflection (v1, v1alpha): standard services any gRPC server offers.
    .target(
      name: "OnveraStandardServices",
      dependencies: [
        "OnveraRPC", "ProtoWire",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "OnveraStandardServicesTests",
      dependencies: [
        "OnveraStandardServices", "OnveraRPC", "ProtoWire",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCInProcessTransport", package: "grpc-swift-2"),
      ],
      swiftSettings: strict
    ),
    // Health, reflection and a stand-in EnvironmentService on our transport, for grpcio's clients (tools/test.d/41-*).
    .executableTarget(
      name: "onvera-standard-services",
      dependencies: [
        "OnveraStandardServices", "OnveraRPC", "OnveraProto", "GRPCNghttp2Transport",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
      ],
      path: "Tests/Tools/StandardServices",
      swiftSettings: strict
    ),

    // MARK: transport
    .target(
      name: "GRPCNghttp2Transport",
      dependencies: [
        "CNghttp2", "COpenSSL", "CZlib",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
      ],
      swiftSettings: strict
    ),

    // MARK: store
    .target(
      name: "OnveraStore",
      dependencies: [
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict
    ),

    // MARK: orchestrator
    .target(
      name: "Orchestrator",
      dependencies: [
        "OnveraStore", "OnveraProto", "ProtoWire",
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "OrchestratorTests",
      dependencies: ["Orchestrator", "OnveraStore", "OnveraProto", "TestSupport"],
      swiftSettings: strict
    ),
    .executableTarget(
      name: "onvera-bench-orchestrator",
      dependencies: ["Orchestrator", "OnveraStore", "OnveraProto"],
      path: "Tests/Benchmarks/OrchestratorBenchmark",
      swiftSettings: strict
    ),

    // MARK: server
    .target(
      name: "OnveraServer",
      dependencies: [
        "OnveraRPC", "OnveraProto", "Orchestrator", "OnveraStore", "GRPCNghttp2Transport", "OnveraStandardServices",
        "COpenSSL", "CMalloc",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "OnveraServerTests",
      dependencies: [
        "OnveraServer", "OnveraRPC", "OnveraProto", "Orchestrator", "TestSupport",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCInProcessTransport", package: "grpc-swift-2"),
      ],
      swiftSettings: strict
    ),
    .executableTarget(
      name: "onvera-server",
      dependencies: [
        "OnveraServer", "OnveraStore", "Orchestrator",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict
    ),

    // MARK: CLI
    .target(
      name: "OnveraCLI",
      dependencies: [
        "OnveraRPC", "OnveraProto", "ProtoWire", "GRPCNghttp2Transport",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict
    ),
    .executableTarget(
      name: "onvera",
      dependencies: ["OnveraCLI"],
      swiftSettings: strict
    ),
    .testTarget(
      name: "OnveraCLITests",
      dependencies: [
        "OnveraCLI",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict
    ),

    // MARK: test support and reference implementations
    .systemLibrary(
      name: "CProtobufC",
      path: "Tests/CProtobufC",
      pkgConfig: "libprotobuf-c",
      providers: [.apt(["libprotobuf-c-dev"])]
    ),
    // The contract compiled by protoc-c (tools/gen-protobuf-c), the reference codec.
    .target(
      name: "COnveraProtobufC",
      dependencies: ["CProtobufC"],
      path: "Tests/COnveraProtobufC"
    ),
    .target(
      name: "TestSupport",
      dependencies: ["ProtoWire", "COnveraProtobufC"],
      path: "Tests/TestSupport",
      swiftSettings: strict
    ),

    // MARK: tests
    .testTarget(
      name: "ProtoWireTests",
      dependencies: ["ProtoWire", "TestSupport"],
      swiftSettings: strict
    ),
    .testTarget(
      name: "OnveraProtoTests",
      dependencies: ["OnveraProto", "ProtoWire", "TestSupport", "COnveraProtobufC"],
      swiftSettings: strict
    ),

    // MARK: store tests and tools
    .testTarget(
      name: "OnveraStoreTests",
      dependencies: ["OnveraStore", "TestSupport"],
      swiftSettings: strict
    ),
    // Appends through the store and reports acknowledgements: driven by the kill -9 loop.
    .executableTarget(
      name: "onvera-store-torture",
      dependencies: ["OnveraStore"],
      path: "Tests/Tools/StoreTorture",
      swiftSettings: strict
    ),
    .executableTarget(
      name: "onvera-bench-store",
      dependencies: ["OnveraStore"],
      path: "Tests/Benchmarks/StoreBenchmark",
      swiftSettings: strict
    ),

    // MARK: transport tests and tools
    .testTarget(
      name: "GRPCNghttp2TransportTests",
      dependencies: [
        "GRPCNghttp2Transport", "TestSupport",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
      ],
      swiftSettings: strict
    ),
    // The echo test service on our transport, for grpcio, h2 probes and h2load.
    .executableTarget(
      name: "onvera-echo",
      dependencies: [
        "GRPCNghttp2Transport",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
      ],
      path: "Tests/Tools/Echo",
      swiftSettings: strict
    ),

    // MARK: benchmarks (release builds, run by tools/bench/*)
    .executableTarget(
      name: "onvera-bench-codec",
      dependencies: ["OnveraProto", "ProtoWire", "COnveraProtobufC"],
      path: "Tests/Benchmarks/CodecBenchmark",
      swiftSettings: strict
    ),
  ]
)
