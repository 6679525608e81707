import Testing

@testable import MRITraining

private enum OptimizerName: String, CaseIterable { case adam, sgd }

@Suite("Recipe sections")
struct RecipeSectionTests {
    let yaml = """
        training:
          epochs: 12
          optimizer:
            name: adamx
            lr: 3.0e-4
            betas: [0.9, 0.999]
          clip: -1
        """

    @Test("typed values are read, with defaults for absent keys")
    func values() throws {
        let recipe = try RecipeSection(yaml: yaml, file: "r.yaml")
        let training = try #require(try recipe.section("training"))
        #expect(try training.int("epochs", in: 1...1000) == 12)
        #expect(try training.int("validate_every", default: 1) == 1)
        let optimizer = try #require(try training.section("optimizer"))
        #expect(try optimizer.double("lr") == 3e-4)
        #expect(try optimizer.doubles("betas") == [0.9, 0.999])
        #expect(try optimizer.string("name") == "adamx")
    }

    @Test("errors name the file, line, key path, the value and what is allowed")
    func errors() throws {
        let training = try #require(try RecipeSection(yaml: yaml, file: "r.yaml").section("training"))
        let optimizer = try #require(try training.section("optimizer"))
        #expect(throws: RecipeError(file: "r.yaml", line: 4, key: "training.optimizer.name", value: "adamx",
                                    allowed: "one of adam, sgd")) {
            let _: OptimizerName = try optimizer.choice("name")
        }
        #expect(throws: RecipeError(file: "r.yaml", line: 7, key: "training.clip", value: "-1.0",
                                    allowed: "a value in 0.0...10.0")) {
            _ = try training.double("clip", in: 0...10)
        }
        #expect(throws: RecipeError(file: "r.yaml", line: 4, key: "training.optimizer", value: "a mapping",
                                    allowed: "an integer")) {
            _ = try training.int("optimizer")
        }
        #expect(throws: RecipeError(file: "r.yaml", line: 2, key: "training.seed", value: nil, allowed: "an integer")) {
            _ = try training.int("seed")
        }
        #expect(throws: RecipeError(file: "r.yaml", line: 7, key: "training.clip", value: nil,
                                    allowed: "one of the keys epochs, optimizer (unknown key)")) {
            try training.requireKnownKeys(["epochs", "optimizer"])
        }
        #expect(throws: RecipeError.self) { _ = try RecipeSection(yaml: "a: 1\na: 2\n", file: "d.yaml") }
        #expect(throws: RecipeError.self) { _ = try RecipeSection(yaml: "a: [1, 2\n", file: "bad.yaml") }
        #expect(RecipeError(file: "r.yaml", line: 4, key: "k", value: "v", allowed: "w").description
            == "r.yaml:4: k: got \"v\"; expected w")
    }
}
