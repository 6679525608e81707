import Foundation
import Testing

@testable import MRITraining

@Suite("The recipes checked into recipes/")
struct RecipeFilesTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("recipes")

    /// The reconstruction recipes of the repository.
    static func reconstructionRecipes() throws -> [(name: String, section: RecipeSection)] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
            .map { ($0, try RecipeSection(contentsOfFile: folder.appendingPathComponent($0).path)) }
            .filter { try $0.section.string("task", default: "") == "reconstruction" }
    }

    @Test("every reconstruction recipe parses (paths unchecked) with its model, schedule and loss")
    func reconstructionRecipesParse() throws {
        let recipes = try Self.reconstructionRecipes()
        #expect(Set(recipes.map(\.name)).isSuperset(
            of: ["fastmri_varnet.yaml", "fastmri_unet.yaml", "snu_varnet_rcan.yaml", "cine_unet_resnet.yaml"]))
        for (name, section) in recipes {
            let recipe = try RecipeSection.$checksPaths.withValue(false) { try AnyReconstructionRecipe(section) }
            switch (name, recipe) {
            case ("fastmri_unet.yaml", .unet(let unet)):
                #expect(unet.model == UnetRecipe.Model(chans: 32, numPoolLayers: 4, dropProb: 0))
                #expect(unet.training.optimizer.name == .rmsprop && unet.training.optimizer.lr == 0.001)
                #expect(unet.training.schedule.name == .step && unet.training.schedule.stepSize == 40)
                #expect(unet.training.loss == "l1" && unet.training.configuration.epochs == 50)
            case ("snu_varnet_rcan.yaml", .varnetRCAN(let hybrid)):
                let model = hybrid.model
                let sizes: [Int] = [model.nFeats, model.nResblocks, model.nResgroups, model.reduction]
                #expect(sizes == [160, 25, 4, 16])
                #expect(model.resScale == 0.125 && model.gradientCheckpointing && model.selfEnsemble)
                #expect(hybrid.training.optimizer.lr == 1e-4 && hybrid.training.configuration.epochs == 20)
                #expect(hybrid.data.batchSize == 1)
            case ("cine_unet_resnet.yaml", .cine(let cine)):
                #expect(cine.model == .unetResNet(initFeatures: 64, numPoolLayers: 4, nFeats: 64, nResblocks: 4, dataConsistency: false))
                #expect(cine.training.optimizer.name == .adam && cine.training.optimizer.weightDecay == 1e-4)
                #expect(cine.training.schedule.name == .warmupCosine && cine.training.schedule.warmupEpochs == 10)
                #expect(cine.split == [4, 1, 2] && cine.batchSize == 10 && cine.training.configuration.epochs == 400)
            case ("fastmri_varnet.yaml", .varnet): break
            default: Issue.record("\(name) parsed as \(recipe)")
            }
        }
    }

    @Test("with path checks on, a recipe naming a missing data folder is refused naming the key")
    func pathsChecked() throws {
        let text = try String(contentsOf: Self.folder.appendingPathComponent("fastmri_unet.yaml"), encoding: .utf8)
        let missing = "/nonexistent-\(UUID().uuidString)"
        let section = try RecipeSection(
            yaml: text.replacingOccurrences(of: "data/knee/singlecoil_train", with: missing), file: "unet.yaml")
        #expect(throws: RecipeError(file: "unet.yaml", line: 14, key: "data.train", value: missing,
                                    allowed: "an existing folder of fastMRI .h5 files")) {
            _ = try AnyReconstructionRecipe(section)
        }
    }

    @Test("an unknown model name is refused listing every reconstruction model")
    func unknownModel() throws {
        let section = try RecipeSection(yaml: "task: reconstruction\nmodel: {name: unett}\n", file: "bad.yaml")
        #expect(throws: RecipeError(file: "bad.yaml", line: 2, key: "model.name", value: "unett",
                                    allowed: "one of varnet, unet, varnet_rcan, cine_unet_resnet, dccnn")) {
            _ = try AnyReconstructionRecipe(section)
        }
    }
}
