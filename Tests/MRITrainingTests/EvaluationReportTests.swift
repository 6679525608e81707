import Foundation
import Testing

@testable import MRITraining

@Suite("Evaluation reports")
struct EvaluationReportTests {
    func report() -> EvaluationReport {
        var report = EvaluationReport()
        report.add(method: "zero-filled", volume: "a.h5", metrics: ["psnr": 28, "ssim": 0.70])
        report.add(method: "VarNet", volume: "a.h5", metrics: ["psnr": 34, "ssim": 0.90])
        report.add(method: "zero-filled", volume: "b.h5", metrics: ["psnr": 30, "ssim": 0.74])
        report.add(method: "VarNet", volume: "b.h5", metrics: ["psnr": 35, "ssim": .nan])
        return report
    }

    @Test("the summary is the mean and sample standard deviation over volumes; NaN values are left out")
    func summary() {
        let zeroFilled = report().summary(of: "zero-filled")
        #expect(zeroFilled["psnr"] == .init(mean: 29, std: 2.squareRoot(), count: 2))
        #expect(abs(zeroFilled["ssim"]!.mean - 0.72) < 1e-12)
        #expect(report().summary(of: "VarNet")["ssim"] == .init(mean: 0.9, std: 0, count: 1))
    }

    @Test("the table lists methods in order with mean ± std; the CSV has a row per method and volume")
    func outputs() throws {
        let report = report()
        #expect(report.table() == """
            method                psnr            ssim
            zero-filled     29 ± 1.414  0.72 ± 0.02828
            VarNet       34.5 ± 0.7071         0.9 ± 0

            """)
        #expect(report.csv().split(separator: "\n").count == 5)
        #expect(report.csv().contains("VarNet,b.h5,35.0,nan"))
        let json = try JSONSerialization.jsonObject(with: try report.json()) as? [String: Any]
        #expect((json?["volumes"] as? [Any])?.count == 4)
    }
}
