// swift-tools-version:6.0
//
// MRIKit: deep learning on MRI, in Swift, on libtorch.
//
// libtorch is found through pkg-config (`libtorch.pc`, written by `make setup`;
// the Makefile exports `PKG_CONFIG_PATH`). No `unsafeFlags` are used, so MRIKit can
// be a dependency of other packages. The run-time path to libtorch is not set here:
// the Makefile passes `-Xlinker -rpath` on the command line, and packages that depend
// on MRIKit do the same or set `LD_LIBRARY_PATH` (see README).
import PackageDescription

let package = Package(
    name: "MRIKit",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Torch", targets: ["Torch"]),
        .library(name: "TorchNN", targets: ["TorchNN"]),
        .library(name: "MRI", targets: ["MRI"]),
        .library(name: "MRIData", targets: ["MRIData"]),
        .library(name: "MRIModels", targets: ["MRIModels"]),
        .library(name: "MRITraining", targets: ["MRITraining"]),
        .executable(name: "mrikit", targets: ["mrikit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // MARK: libtorch and the C++ shim
        .systemLibrary(name: "CLibTorch", pkgConfig: "libtorch"),
        .target(
            name: "CTorch",
            dependencies: ["CLibTorch"],
            cxxSettings: [.define("_GLIBCXX_USE_CXX11_ABI", to: "1")]
        ),

        // MARK: System C libraries for the data formats (Debian -dev packages, installed by `make setup`)
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5-serial", providers: [.apt(["libhdf5-dev"])]),
        // Debian ships no .pc for nifti_clib: `make setup` writes .venv/pkgconfig/nifti2.pc.
        .systemLibrary(name: "CNIfTI", pkgConfig: "nifti2", providers: [.apt(["libnifti2-dev"])]),
        .systemLibrary(name: "CTIFF", pkgConfig: "libtiff-4", providers: [.apt(["libtiff-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // libdeflate inflates a whole .nii.gz in one call, about twice as fast as zlib's stream.
        .systemLibrary(name: "CDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),
        // dcmtk (libdcmtk-dev) is C++: CDICOM is a thin C ABI over it. Its libraries are linked by
        // name because Debian's dcmtk.pc requires sndfile.pc and others that only further -dev
        // packages install; the headers are in /usr/include/dcmtk.
        .target(
            name: "CDICOM",
            linkerSettings: [
                .linkedLibrary("dcmjpls"), .linkedLibrary("dcmjpeg"), .linkedLibrary("dcmdata"),
                .linkedLibrary("oflog"), .linkedLibrary("ofstd"),
            ]
        ),
        // libismrmrd (libismrmrd-dev) ships no .pc; its dataset.h includes HDF5's header, found
        // through CHDF5. CISMRMRD hands its complex samples to Swift as floats.
        .target(name: "CISMRMRD", dependencies: ["CHDF5"], linkerSettings: [.linkedLibrary("ismrmrd")]),

        // MARK: Swift layers
        .target(name: "Torch", dependencies: ["CTorch"]),
        .target(name: "TorchNN", dependencies: ["Torch"]),
        .target(name: "MRI", dependencies: ["Torch"]),
        .target(
            name: "MRIData",
            dependencies: [
                "MRI", "CHDF5", "CNIfTI", "CTIFF", "CPNG", "CZlib", "CDeflate", "CDICOM",
                "CISMRMRD",
            ]),
        .target(name: "MRIModels", dependencies: ["TorchNN", "MRI"]),
        .target(name: "MRITraining", dependencies: ["MRIData", "MRIModels", .product(name: "Yams", package: "Yams")]),

        // MARK: The command-line tool
        .executableTarget(
            name: "mrikit",
            dependencies: [
                "Torch",
                "TorchNN",
                "MRI",
                "MRIData",
                "MRIModels",
                "MRITraining",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: The distributed-training tests' worker (MRITrainingTests start it as separate processes)
        .executableTarget(name: "DistributedWorker", dependencies: ["MRITraining"], path: "Tests/DistributedWorker"),

        // MARK: Tests
        .target(name: "TorchTestSupport", dependencies: ["Torch"], path: "Tests/TorchTestSupport", exclude: ["fixture_io.py"]),
        .testTarget(name: "TorchTests", dependencies: ["Torch", "TorchTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TorchNNTests", dependencies: ["TorchNN", "TorchTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "MRITests", dependencies: ["MRI", "TorchTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "MRIDataTests", dependencies: ["MRIData", "TorchTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "MRIModelsTests", dependencies: ["MRIModels", "TorchTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "mrikitTests", dependencies: ["mrikit", "TorchTestSupport"]),
        .testTarget(name: "MRITrainingTests", dependencies: ["MRITraining", "TorchTestSupport"], exclude: ["Fixtures"]),
    ],
    cxxLanguageStandard: .cxx17
)
