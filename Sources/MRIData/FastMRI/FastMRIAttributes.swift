/// The attributes of a fastMRI file's root group. Training and validation files have
/// `acquisition`, `max`, `norm` and `patient_id`; test and challenge files have `acquisition`,
/// `patient_id`, `acceleration` and `num_low_frequency`. Absent attributes are `nil`.
public struct FastMRIAttributes: Sendable, Equatable {
    /// The acquisition protocol (`acquisition`, e.g. `CORPD_FBK`, `AXT2`).
    public var acquisition: String?
    /// The largest value of the volume's reconstruction target (`max`): fastMRI's data range
    /// for PSNR and SSIM.
    public var max: Double?
    /// The Euclidean norm of the volume's reconstruction target (`norm`).
    public var norm: Double?
    /// The anonymised patient identifier (`patient_id`).
    public var patientID: String?
    /// The acceleration factor of undersampled test k-space (`acceleration`).
    public var acceleration: Int?
    /// The number of fully sampled central columns of test k-space (`num_low_frequency`).
    public var numLowFrequency: Int?

    /// Attributes with these values.
    public init(
        acquisition: String? = nil, max: Double? = nil, norm: Double? = nil, patientID: String? = nil,
        acceleration: Int? = nil, numLowFrequency: Int? = nil
    ) {
        self.acquisition = acquisition
        self.max = max
        self.norm = norm
        self.patientID = patientID
        self.acceleration = acceleration
        self.numLowFrequency = numLowFrequency
    }

    /// Reads the attributes of `file`; one of the wrong type throws naming it.
    init(reading file: HDF5File) throws {
        func value<T>(_ name: String, _ kind: String, _ convert: (HDF5Attribute) -> T?) throws -> T? {
            guard file.hasAttribute(name) else { return nil }
            let attribute = try file.attribute(name)
            guard let converted = convert(attribute) else {
                throw DataError(file: file.path, field: name, "holds \(attribute), not \(kind)")
            }
            return converted
        }
        let string = { (attribute: HDF5Attribute) -> String? in
            if case .string(let text) = attribute { return text }
            return nil
        }
        let number = { (attribute: HDF5Attribute) -> Double? in
            switch attribute {
            case .float(let value): value
            case .int(let value): Double(value)
            case .string: nil
            }
        }
        let integer = { (attribute: HDF5Attribute) -> Int? in
            if case .int(let value) = attribute { return value }
            return nil
        }
        self.init(
            acquisition: try value("acquisition", "a string", string), max: try value("max", "a number", number),
            norm: try value("norm", "a number", number), patientID: try value("patient_id", "a string", string),
            acceleration: try value("acceleration", "an integer", integer),
            numLowFrequency: try value("num_low_frequency", "an integer", integer))
    }

    /// Writes the attributes that are not `nil` to `file`, as h5py writes Python values.
    func write(to file: HDF5File) throws {
        let values: [(String, HDF5Attribute?)] = [
            ("acquisition", acquisition.map { .string($0) }), ("max", max.map { .float($0) }),
            ("norm", norm.map { .float($0) }), ("patient_id", patientID.map { .string($0) }),
            ("acceleration", acceleration.map { .int($0) }), ("num_low_frequency", numLowFrequency.map { .int($0) }),
        ]
        for case let (name, value?) in values {
            try file.setAttribute(name, value)
        }
    }
}
