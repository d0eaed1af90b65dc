// swift-tools-version:6.1
// Test-only package: grpc-swift-2 with its NIO transport as the peer of our
// transport (client of onvera-echo, server for `onvera-echo client`). Kept out
// of the root package so the main build stays lean; run by
// tools/test.d/32-transport-swift-nio.sh.
import PackageDescription

let package = Package(
  name: "onvera-transport-interop-nio",
  dependencies: [
    .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
    .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
  ],
  targets: [
    // EchoService.swift and ClientCases.swift are links to Tests/Tools/Echo: the
    // same service and the same cases as the other interop runs.
    .executableTarget(
      name: "nio-interop",
      dependencies: [
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
      ],
      swiftSettings: [.swiftLanguageMode(.v6)]
    )
  ]
)
