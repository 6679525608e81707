extension Module {
    /// Stops gradients for every parameter of this module and its descendants (sets
    /// `requiresGrad` to false), e.g. `model.varnet.freeze()` to train only the rest. Returns `self`.
    @discardableResult
    public func freeze() -> Self { setRequiresGrad(false) { _ in true } }

    /// Makes every parameter of this module and its descendants require gradients again. Returns `self`.
    @discardableResult
    public func unfreeze() -> Self { setRequiresGrad(true) { _ in true } }

    /// Freezes the parameters whose state-dict key starts with one of `keys`
    /// (`model.freeze(keys: ["varnet.", "head.0.weight"])`). Returns `self`.
    @discardableResult
    public func freeze(keys: [String]) -> Self { setRequiresGrad(false) { Module.matches($0, keys) } }

    /// Unfreezes the parameters whose state-dict key starts with one of `keys`. Returns `self`.
    @discardableResult
    public func unfreeze(keys: [String]) -> Self { setRequiresGrad(true) { Module.matches($0, keys) } }

    /// The parameters that require gradients, with their names: what to give an optimizer
    /// after freezing part of a model.
    public func trainableParameters() -> [(name: String, tensor: Tensor)] {
        namedParameters().filter { $0.tensor.requiresGrad }
    }

    /// The number of parameter elements that require gradients.
    public var trainableParameterCount: Int { trainableParameters().reduce(0) { $0 + $1.tensor.count } }

    private func setRequiresGrad(_ value: Bool, where selected: (String) -> Bool) -> Self {
        for (name, tensor) in namedParameters() where selected(name) { tensor.requiresGrad = value }
        return self
    }

    private static func matches(_ key: String, _ prefixes: [String]) -> Bool {
        prefixes.contains { key.hasPrefix($0) }
    }
}
