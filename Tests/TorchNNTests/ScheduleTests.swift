import Foundation
import Testing
import TorchTestSupport

@testable import TorchNN

@Suite("Learning-rate schedules")
struct ScheduleTests {
    static let cases: [(String, any LearningRateSchedule)] = [
        ("step", StepLR(stepSize: 7, gamma: 0.5)),
        ("multistep", MultiStepLR(milestones: [5, 12, 20], gamma: 0.3)),
        ("exponential", ExponentialLR(gamma: 0.9)),
        ("cosine", CosineAnnealingLR(tMax: 20, etaMin: 0.001)),
        ("warm_restarts", CosineAnnealingWarmRestarts(tZero: 4, tMult: 2, etaMin: 0.002)),
        ("warm_restarts_constant", CosineAnnealingWarmRestarts(tZero: 6)),
        ("warmup_cosine", LinearWarmupCosine(warmupEpochs: 10, totalEpochs: 30, startFactor: 0.1, etaMin: 1e-4)),
        ("one_cycle", OneCycleLR(maxLR: 0.5, totalSteps: 30)),
        ("one_cycle_three_phase", OneCycleLR(maxLR: 0.5, totalSteps: 30, annealStrategy: .linear, threePhase: true)),
        ("poly", PolynomialLR(totalIters: 30, power: 0.9)),
    ]

    /// A scheduler stepping an SGD optimizer gives PyTorch's 30-epoch learning-rate sequence.
    /// PyTorch computes most rates recursively (each from the previous one) while these are
    /// closed forms, so they differ by accumulated float64 rounding: 1e-12 on rates ≤ 0.5.
    @Test("30 epochs match PyTorch's scheduler", arguments: 0..<cases.count)
    func sequence(_ index: Int) throws {
        let (name, schedule) = Self.cases[index]
        let expected = try Fixture("schedules").tensor(name)
        let parameter = Tensor.zeros([1]).requiringGrad()
        let optimizer = SGD(parameters: [parameter], lr: 0.1)
        let scheduler = LRScheduler(optimizer, schedule: schedule)
        var rates: [Double] = []
        for _ in 0..<30 {
            rates.append(optimizer.paramGroups[0].lr)
            scheduler.step()
        }
        expectClose(Tensor(rates, shape: [30]), expected, tolerance: 1e-12, "\(name)")
        // The closed form gives the same numbers without an optimizer.
        let standalone = (0..<30).map { schedule.lr(at: $0, initialLR: 0.1) }
        #expect(standalone == rates)
    }

    /// OneCycleLR's default momentum cycling sets SGD's group momentum and Adam's group beta1 to
    /// PyTorch's values (checked in the three-phase linear form with non-default bounds on Adam).
    /// Closed forms against PyTorch's same closed forms, rounded in another order: 1e-12.
    @Test("OneCycleLR cycles momentum and beta1 like PyTorch", arguments: ["sgd", "adam_three_phase"])
    func oneCycleMomentum(_ name: String) throws {
        let fixture = try Fixture("schedules")
        let parameter = Tensor.zeros([1]).requiringGrad()
        let optimizer: any Optimizer
        let schedule: OneCycleLR
        if name == "sgd" {
            optimizer = SGD(parameters: [parameter], lr: 0.1, momentum: 0.9)
            schedule = OneCycleLR(maxLR: 0.5, totalSteps: 30)
        } else {
            optimizer = Adam(parameters: [parameter], lr: 0.01)
            schedule = OneCycleLR(maxLR: 0.05, totalSteps: 30, annealStrategy: .linear, baseMomentum: 0.8,
                                  maxMomentum: 0.9, threePhase: true)
        }
        let scheduler = LRScheduler(optimizer, schedule: schedule)
        var rates: [Double] = [], momenta: [Double] = []
        for _ in 0..<30 {
            let group = optimizer.paramGroups[0]
            rates.append(group.lr)
            momenta.append(try #require(name == "sgd" ? group.momentum : group.beta1))
            scheduler.step()
        }
        let prefix = "one_cycle_momentum.\(name)"
        expectClose(Tensor(rates, shape: [30]), fixture.tensor("\(prefix).lr"), tolerance: 1e-12, "\(name) lr")
        expectClose(Tensor(momenta, shape: [30]), fixture.tensor("\(prefix).momentum"), tolerance: 1e-12,
                    "\(name) momentum")
        #expect((0..<30).map { schedule.momentum(at: $0) } == momenta)
        // Adam's groups carry beta1, not momentum: only beta1 is cycled.
        #expect(name == "sgd" ? optimizer.paramGroups[0].beta1 == nil : optimizer.paramGroups[0].momentum == nil)
    }

    @Test("OneCycleLR without cycleMomentum leaves momentum alone")
    func oneCycleWithoutMomentum() {
        let optimizer = RMSprop(parameters: [Tensor.zeros([1]).requiringGrad()], momentum: 0.5)
        let scheduler = LRScheduler(optimizer, schedule: OneCycleLR(maxLR: 0.5, totalSteps: 10, cycleMomentum: false))
        for _ in 0..<3 { scheduler.step() }
        #expect(optimizer.paramGroups[0].momentum == 0.5)
        #expect(OneCycleLR(maxLR: 0.5, totalSteps: 10, cycleMomentum: false).momentum(at: 3) == nil)
        // SGD without momentum has momentum 0, which PyTorch cycles too.
        let sgd = SGD(parameters: [Tensor.zeros([1]).requiringGrad()], lr: 0.1)
        _ = LRScheduler(sgd, schedule: OneCycleLR(maxLR: 0.5, totalSteps: 10))
        #expect(sgd.paramGroups[0].momentum == 0.95)
    }

    /// PyTorch raises a ValueError; here attaching is a programmer error and traps.
    @Test("cycling momentum of an optimizer without momentum or beta1 traps")
    func oneCycleWithoutMomentumTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = LRScheduler(NoMomentumDescent(), schedule: OneCycleLR(maxLR: 0.5, totalSteps: 10))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("has neither momentum nor beta1"), "\(message)")
    }

    /// ReduceLROnPlateau follows PyTorch exactly (the same comparisons on the same float64 numbers).
    @Test("ReduceLROnPlateau matches PyTorch", arguments: ["min_rel", "max_abs"])
    func plateau(_ name: String) throws {
        let fixture = try Fixture("schedules")
        let metrics = fixture.tensor("plateau.metrics").toArray(of: Double.self)
        let optimizer = SGD(parameters: [Tensor.zeros([1]).requiringGrad()], lr: 0.1)
        let plateau = name == "min_rel"
            ? ReduceLROnPlateau(optimizer, factor: 0.5, patience: 2, cooldown: 1, minLR: 0.004)
            : ReduceLROnPlateau(optimizer, mode: .max, factor: 0.2, patience: 1, threshold: 0.01, thresholdMode: .abs)
        var rates: [Double] = []
        for metric in metrics {
            rates.append(optimizer.paramGroups[0].lr)
            plateau.step(metric: metric)
        }
        #expect(rates == fixture.tensor("plateau.\(name)").toArray(of: Double.self))
    }

    @Test("schedulers resume from their state dicts")
    func resume() throws {
        let optimizer = SGD(parameters: [Tensor.zeros([1]).requiringGrad()], lr: 0.1)
        let scheduler = LRScheduler(optimizer, schedule: CosineAnnealingLR(tMax: 10))
        for _ in 0..<4 { scheduler.step() }
        let fresh = SGD(parameters: [Tensor.zeros([1]).requiringGrad()], lr: 0.1)
        try fresh.loadStateDict(optimizer.stateDict())
        let restored = LRScheduler(fresh, schedule: CosineAnnealingLR(tMax: 10))
        try restored.loadStateDict(scheduler.stateDict())
        scheduler.step()
        restored.step()
        #expect(restored.lastEpoch == 5)
        #expect(fresh.paramGroups[0].lr == optimizer.paramGroups[0].lr)
        #expect(fresh.paramGroups[0].initialLR == 0.1)

        let plateau = ReduceLROnPlateau(optimizer, patience: 1)
        for metric in [1.0, 0.5, 0.6, 0.7] { plateau.step(metric: metric) }
        let restoredPlateau = ReduceLROnPlateau(fresh, patience: 1)
        try restoredPlateau.loadStateDict(plateau.stateDict())
        #expect(restoredPlateau.best == 0.5)
        #expect(restoredPlateau.numBadEpochs == plateau.numBadEpochs)
        #expect(restoredPlateau.lastEpoch == 4)
        #expect(throws: TrainingStateError.self) { try restoredPlateau.loadStateDict(["best": scalarTensor(1)]) }
    }

    @Test("attaching sets each group's initial lr and the epoch-0 rate")
    func attach() {
        let a = Tensor.zeros([1]).requiringGrad(), b = Tensor.zeros([1]).requiringGrad()
        let optimizer = SGD([ParameterGroup(parameters: [("a", a)], lr: 0.2), ParameterGroup(parameters: [("b", b)])],
                            lr: 0.1)
        let scheduler = LRScheduler(optimizer, schedule: LinearWarmupCosine(warmupEpochs: 5, totalEpochs: 20))
        #expect(optimizer.paramGroups.map(\.initialLR) == [0.2, 0.1])
        #expect(scheduler.lastLRs == [0.2 * (1.0 / 3), 0.1 * (1.0 / 3)])
    }
}

/// An optimizer whose groups have neither momentum nor beta1 (a custom `Optimizer`).
private final class NoMomentumDescent: OptimizerBase, Optimizer {
    init() { super.init(groups: [ParameterGroup(parameters: [Tensor.zeros([1])])], lr: 0.1, weightDecay: 0) }

    func step() {
        for group in paramGroups {
            for item in group.parametersWithGradients { item.tensor.sub_(item.grad * group.lr) }
        }
    }
}
