import Foundation
import Testing
import TorchTestSupport

@testable import MRIModels

/// Seed 003's MiniVNet (3×3×3 conv → BatchNorm → PReLU blocks with residual sums), the model whose
/// torchsummary output the seed prints.
final class MiniVNet: Module, UnaryLayer {
    let enc1_1 = MiniVNet.block(1, 16)
    let down1 = Conv3d(16, 32, kernelSize: [2], stride: [2])
    let enc2_1 = MiniVNet.block(32, 32)
    let enc2_2 = MiniVNet.block(32, 32)
    let up2 = ConvTranspose3d(32, 32, kernelSize: [2], stride: [2])
    let dec1_1 = MiniVNet.block(32, 32)
    let conv = Conv3d(32, 3, kernelSize: [1])

    static func block(_ inChannels: Int, _ outChannels: Int) -> Sequential {
        Sequential(Conv3d(inChannels, outChannels, kernelSize: [3], padding: [1]), BatchNorm3d(outChannels), PReLU())
    }

    func forward(_ input: Tensor) -> Tensor {
        let enc1 = enc1_1(input) + input
        let enc2Residual = down1(enc1)
        let enc2 = enc2_2(enc2_1(enc2Residual)) + enc2Residual
        let dec1Residual = up2(enc2)
        return conv(dec1_1(dec1Residual) + dec1Residual)
    }
}

@Suite("Model summary")
struct SummaryTests {
    @Test("summary prints exactly torchsummary's table for seed 003's MiniVNet")
    func matchesTorchsummary() throws {
        let summary = MiniVNet().summary(inputShape: [1, 8, 16, 16])
        #expect(summary.torchsummaryText == (try SummaryFixture.load().minivnetText))
        #expect(summary.description.contains("Measured peak (MB): "))
    }

    @Test("Frozen parameters count as non-trainable, and the model's modes are left as they were")
    func frozenAndModes() throws {
        let model = MiniVNet()
        model.enc1_1.freeze()
        model.dec1_1.eval()
        let summary = model.summary(inputShape: [1, 8, 16, 16])
        let frozen = model.enc1_1.parameterCount
        #expect(frozen > 0)
        #expect(summary.nonTrainableParams == frozen)
        #expect(summary.totalParams == model.parameterCount)
        #expect(model.isTraining && model.enc1_1.isTraining && !model.dec1_1.isTraining)
    }

    @Test("The measured peak of a larger input exceeds that of a smaller one")
    func measuredPeakGrows() throws {
        let model = MiniVNet()
        let small = try #require(model.summary(inputShape: [1, 4, 8, 8]).measuredPeakBytes)
        let large = try #require(model.summary(inputShape: [1, 16, 32, 32]).measuredPeakBytes)
        #expect(large > small)
    }
}
