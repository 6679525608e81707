/// The `mask` section of a recipe: one of fastMRI's five mask functions.
///
/// ```yaml
/// mask: {type: equispaced_fraction, center_fractions: [0.08], accelerations: [4]}
/// ```
public struct MaskRecipe: Sendable, Equatable {
    /// fastMRI's mask types, by the names of its `create_mask_for_mask_type`.
    public enum Kind: String, CaseIterable, Sendable {
        case random, equispaced, equispacedFraction = "equispaced_fraction", magic, magicFraction = "magic_fraction"
    }

    /// Which mask function.
    public var kind: Kind
    /// Fractions of centre columns kept, one chosen per mask (paired with `accelerations`).
    public var centerFractions: [Double]
    /// Undersampling factors.
    public var accelerations: [Int]

    /// fastMRI's 4× default (8% centre, equispaced fraction).
    public init(kind: Kind = .equispacedFraction, centerFractions: [Double] = [0.08], accelerations: [Int] = [4]) {
        self.kind = kind
        self.centerFractions = centerFractions
        self.accelerations = accelerations
    }

    /// Reads the section; throws `RecipeError` naming the key for a bad value.
    public init(_ section: RecipeSection) throws {
        try section.requireKnownKeys(["type", "center_fractions", "accelerations"])
        kind = try section.choice("type", default: .equispacedFraction)
        centerFractions = try section.doubles("center_fractions", default: [0.08])
        accelerations = try section.ints("accelerations", default: [4])
        guard centerFractions.count == accelerations.count else {
            throw section.error("accelerations", value: "\(accelerations)",
                                allowed: "as many entries as center_fractions (\(centerFractions.count))")
        }
        guard centerFractions.allSatisfy({ (0...1).contains($0) }) else {
            throw section.error("center_fractions", value: "\(centerFractions)", allowed: "fractions in [0, 1]")
        }
        guard accelerations.allSatisfy({ $0 >= 1 }) else {
            throw section.error("accelerations", value: "\(accelerations)", allowed: "integers ≥ 1")
        }
    }

    /// The mask function.
    public func make() throws -> any MaskFunction {
        switch kind {
        case .random: try RandomMaskFunc(centerFractions: centerFractions, accelerations: accelerations)
        case .equispaced: try EquiSpacedMaskFunc(centerFractions: centerFractions, accelerations: accelerations)
        case .equispacedFraction:
            try EquispacedMaskFractionFunc(centerFractions: centerFractions, accelerations: accelerations)
        case .magic: try MagicMaskFunc(centerFractions: centerFractions, accelerations: accelerations)
        case .magicFraction: try MagicMaskFractionFunc(centerFractions: centerFractions, accelerations: accelerations)
        }
    }
}
