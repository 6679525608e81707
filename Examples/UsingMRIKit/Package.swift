// swift-tools-version:6.0
// An example package that depends on MRIKit by path, to prove MRIKit builds as a
// dependency: no unsafeFlags, libtorch found through pkg-config (`PKG_CONFIG_PATH`
// pointing at the `libtorch.pc` that MRIKit's `make setup` writes).
import PackageDescription

let package = Package(
    name: "UsingMRIKit",
    dependencies: [.package(name: "MRIKit", path: "../..")],
    targets: [
        .executableTarget(name: "UsingMRIKit", dependencies: [.product(name: "TorchNN", package: "MRIKit")])
    ]
)
