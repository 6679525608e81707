/// Any `task: reconstruction` recipe, chosen by its `model.name`: fastMRI's E2E-VarNet
/// (`varnet`) and U-Net (`unet`) baselines, seed 000's hybrid (`varnet_rcan`) and seed 001's
/// cine networks (`cine_unet_resnet`, `dccnn`).
public enum AnyReconstructionRecipe: Sendable {
    /// `varnet`.
    case varnet(ReconstructionRecipe)
    /// `unet`.
    case unet(UnetRecipe)
    /// `varnet_rcan`.
    case varnetRCAN(VarNetRCANRecipe)
    /// `cine_unet_resnet` or `dccnn`.
    case cine(CineRecipe)

    /// The model names, in the order of the cases.
    public static let modelNames = ["varnet", "unet", "varnet_rcan", "cine_unet_resnet", "dccnn"]

    /// Reads a parsed recipe file; throws `RecipeError` naming the key of the first bad value
    /// (an unknown `model.name` lists ``modelNames``).
    public init(_ recipe: RecipeSection) throws {
        let model = try recipe.section("model")
        // Without a model section, ReconstructionRecipe refuses the recipe naming the key.
        let name = try model?.string("name") ?? "varnet"
        switch name {
        case "varnet": self = .varnet(try ReconstructionRecipe(recipe))
        case "unet": self = .unet(try UnetRecipe(recipe))
        case "varnet_rcan": self = .varnetRCAN(try VarNetRCANRecipe(recipe))
        case "cine_unet_resnet", "dccnn": self = .cine(try CineRecipe(recipe))
        default:
            throw (model ?? recipe).error("name", value: name, allowed: "one of " + Self.modelNames.joined(separator: ", "))
        }
    }

    /// The optimizer, schedule, loss and trainer settings.
    public var training: TrainingRecipe {
        get {
            switch self {
            case .varnet(let recipe): recipe.training
            case .unet(let recipe): recipe.training
            case .varnetRCAN(let recipe): recipe.training
            case .cine(let recipe): recipe.training
            }
        }
        set {
            switch self {
            case .varnet(var recipe): recipe.training = newValue; self = .varnet(recipe)
            case .unet(var recipe): recipe.training = newValue; self = .unet(recipe)
            case .varnetRCAN(var recipe): recipe.training = newValue; self = .varnetRCAN(recipe)
            case .cine(var recipe): recipe.training = newValue; self = .cine(recipe)
            }
        }
    }

    /// The training run the recipe describes; with `processGroup`, data-parallel across its
    /// ranks (VarNet recipes so far).
    /// - Throws: `DataError` for unreadable data or weights, `TrainingError` for a bad configuration.
    public func makeTraining(processGroup: ProcessGroup? = nil) throws -> any TrainingTask {
        switch self {
        case .varnet(let recipe): return try VarNetTraining(recipe: recipe, processGroup: processGroup)
        case _ where processGroup != nil:
            throw TrainingError.configuration(field: "model.name", allowed: "varnet for data-parallel training (so far)")
        case .unet(let recipe): return try UnetTraining(recipe: recipe)
        case .varnetRCAN(let recipe): return try VarNetRCANTraining(recipe: recipe)
        case .cine(let recipe): return try recipe.makeTraining()
        }
    }
}
