"""ISMRMRD fixtures for MRIDataTests (run from the repo root with the project's Python).

Writes a small ISMRMRD raw-data file with h5py, in the HDF5 layout the ISMRMRD format documents
(`/dataset/xml`: the XML header as one variable-length string; `/dataset/data`: one compound
record per acquisition, `head` (the AcquisitionHeader struct, members by name), `traj` and
`data` (variable-length float32: real and imaginary parts interleaved, coil by coil)), so that
libismrmrd is not its own reference. The k-space and sampling mask the reader must assemble are
computed here with numpy into ismrmrd.json.

The file holds a noise scan (flag 19), two slices of a partial-Fourier, undersampled Cartesian
acquisition written in shuffled order, a calibration-only line (flag 20, colliding with an
imaging line on purpose) and a navigator (flag 23), which must all be skipped, and a
calibration-and-imaging line (flag 21), which is k-space. Imaging lines land at
ky = kspace_encode_step_1 + (encoded y / 2 - centre), fastMRI's and Gadgetron's padding.
"""
import os
import sys

import h5py
import numpy as np
import torch

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io  # noqa: E402

out = "Tests/MRIDataTests/Fixtures/ismrmrd"
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(11)

coils, samples, ny, slices = 3, 16, 12, 2
center, maximum = 5, 9  # lines 0...9 acquired around centre 5: partial Fourier
offset = ny // 2 - center

counters = np.dtype([
    ("kspace_encode_step_1", "<u2"), ("kspace_encode_step_2", "<u2"), ("average", "<u2"), ("slice", "<u2"),
    ("contrast", "<u2"), ("phase", "<u2"), ("repetition", "<u2"), ("set", "<u2"), ("segment", "<u2"),
    ("user", "<u2", (8,))])
head_type = np.dtype([
    ("version", "<u2"), ("flags", "<u8"), ("measurement_uid", "<u4"), ("scan_counter", "<u4"),
    ("acquisition_time_stamp", "<u4"), ("physiology_time_stamp", "<u4", (3,)), ("number_of_samples", "<u2"),
    ("available_channels", "<u2"), ("active_channels", "<u2"), ("channel_mask", "<u8", (16,)),
    ("discard_pre", "<u2"), ("discard_post", "<u2"), ("center_sample", "<u2"), ("encoding_space_ref", "<u2"),
    ("trajectory_dimensions", "<u2"), ("sample_time_us", "<f4"), ("position", "<f4", (3,)),
    ("read_dir", "<f4", (3,)), ("phase_dir", "<f4", (3,)), ("slice_dir", "<f4", (3,)),
    ("patient_table_position", "<f4", (3,)), ("idx", counters), ("user_int", "<i4", (8,)),
    ("user_float", "<f4", (8,))])
vlen_float = h5py.vlen_dtype(np.dtype("<f4"))
record_type = np.dtype([("head", head_type), ("traj", vlen_float), ("data", vlen_float)])

xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<ismrmrdHeader xmlns="http://www.ismrm.org/ISMRMRD">
  <experimentalConditions><H1resonanceFrequency_Hz>63500000</H1resonanceFrequency_Hz></experimentalConditions>
  <encoding>
    <encodedSpace><matrixSize><x>{samples}</x><y>{ny}</y><z>1</z></matrixSize>
      <fieldOfView_mm><x>256</x><y>192</y><z>5</z></fieldOfView_mm></encodedSpace>
    <reconSpace><matrixSize><x>{samples // 2}</x><y>{ny}</y><z>1</z></matrixSize>
      <fieldOfView_mm><x>128</x><y>192</y><z>5</z></fieldOfView_mm></reconSpace>
    <encodingLimits>
      <kspace_encoding_step_1><minimum>0</minimum><maximum>{maximum}</maximum><center>{center}</center></kspace_encoding_step_1>
      <slice><minimum>0</minimum><maximum>{slices - 1}</maximum><center>0</center></slice>
    </encodingLimits>
    <trajectory>cartesian</trajectory>
  </encoding>
</ismrmrdHeader>
"""

kspace = np.zeros((slices, coils, ny, samples), np.complex64)
mask = np.zeros((slices, ny), bool)
records = []


def acquisition(step, slice_index, flags=(), data=None):
    """One record; `data` ([coils, samples] complex64) random when not given."""
    if data is None:
        data = (rng.standard_normal((coils, samples)) + 1j * rng.standard_normal((coils, samples))).astype(np.complex64)
    head = np.zeros((), head_type)
    head["version"] = 1
    head["flags"] = sum(1 << (flag - 1) for flag in flags)
    head["scan_counter"] = len(records)
    head["number_of_samples"] = samples
    head["available_channels"] = head["active_channels"] = coils
    head["channel_mask"][0] = (1 << coils) - 1
    head["center_sample"] = samples // 2
    head["read_dir"], head["phase_dir"], head["slice_dir"] = [1, 0, 0], [0, 1, 0], [0, 0, 1]
    head["idx"]["kspace_encode_step_1"] = step
    head["idx"]["slice"] = slice_index
    records.append((head, np.zeros(0, np.float32), data.view(np.float32).reshape(-1)))
    return data


acquisition(0, 0, flags=[19])  # noise scan: not k-space
plan = []
for slice_index in range(slices):
    # About half the lines, always the four around the centre.
    steps = [s for s in range(maximum + 1) if rng.random() < 0.5 or abs(s - center) <= 1]
    plan += [(slice_index, s) for s in steps]
for index in rng.permutation(len(plan)):
    slice_index, step = plan[index]
    flags = [21] if step == center else []  # calibration and imaging: k-space all the same
    line = acquisition(step, slice_index, flags=flags)
    kspace[slice_index, :, step + offset, :] = line
    mask[slice_index, step + offset] = True
acquisition(center, 0, flags=[20])  # calibration only, at an acquired line: must not overwrite it
acquisition(2, 1, flags=[23])  # navigator



def write(path, header, records):
    """An ISMRMRD file: `header` (None: no /dataset/xml) and the acquisitions `records`."""
    with h5py.File(path, "w") as f:
        if header is not None:
            # libismrmrd reads the header as an ASCII variable-length string (HDF5 converts no UTF-8 to it).
            f.create_dataset("dataset/xml", data=[header.encode()], dtype=h5py.string_dtype("ascii"))
        table = np.empty(len(records), record_type)
        for index, (head, traj, data) in enumerate(records):
            table[index] = (head, traj, data)
        f.create_dataset("dataset/data", data=table)


write(f"{out}/partial_fourier.h5", xml, records)

# Malformed files.
os.makedirs(f"{out}/bad", exist_ok=True)
with open(f"{out}/bad/not_hdf5.h5", "w") as f:
    f.write("not HDF5\n" * 16)
write(f"{out}/bad/no_xml.h5", None, records[:3])
write(f"{out}/bad/no_encoded_space.h5", xml.replace("encodedSpace", "otherSpace"), records[:3])
# A second average of an imaging line: the reader does not combine averages.
head, traj, data = records[1]
average = head.copy()
average["idx"]["average"] = 1
write(f"{out}/bad/repeated_line.h5", xml, records[:3] + [(average, traj, data)])

fixture_io.save("Tests/MRIDataTests/Fixtures/ismrmrd.json", {
    "kspace": torch.from_numpy(kspace), "mask": torch.from_numpy(mask),
    "first_line": torch.from_numpy(records[1][2].view(np.complex64).reshape(coils, samples)),
    "first_line_step": records[1][0]["idx"]["kspace_encode_step_1"].item(),
    "first_line_slice": records[1][0]["idx"]["slice"].item(),
})
