# Writes scalars with PyTorch's SummaryWriter (tensorboard 2.20) and saves the raw TFRecord
# records of the event file, with each event's wall time, for the TensorBoardLog tests.
# Run from the repository root: .venv/bin/python Tests/MRITrainingTests/Fixtures/make_tensorboard_fixtures.py
import glob, os, struct, sys, tempfile
import torch
from torch.utils.tensorboard import SummaryWriter
from tensorboard.compat.proto import event_pb2

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io

scalars = [("train/loss", 0.6931471805599453, 1, 1700000000.25), ("val/ssim", 0.875, 1, 1700000001.5),
           ("train/loss", 0.125, 2, 1700000002.75), ("train/lr", 1e-4, 12345, 1700000003.0)]
with tempfile.TemporaryDirectory() as directory:
    writer = SummaryWriter(log_dir=directory)
    for tag, value, step, wall_time in scalars:
        writer.add_scalar(tag, value, step, walltime=wall_time)
    writer.close()
    (path,) = glob.glob(os.path.join(directory, "events.out.tfevents.*"))
    data = open(path, "rb").read()

records, offset = [], 0
while offset < len(data):
    (length,) = struct.unpack_from("<Q", data, offset)
    records.append(data[offset:offset + 16 + length])
    offset += 16 + length
assert len(records) == 1 + len(scalars)
wall_times = [event_pb2.Event.FromString(record[12:-4]).wall_time for record in records]

out = {"wall_times": torch.tensor(wall_times, dtype=torch.float64),
       "steps": torch.tensor([0] + [s[2] for s in scalars], dtype=torch.int64),
       "values": torch.tensor([s[1] for s in scalars], dtype=torch.float64)}
for index, record in enumerate(records):
    out[f"record{index}"] = torch.tensor(list(record), dtype=torch.uint8)
fixture_io.save("Tests/MRITrainingTests/Fixtures/tensorboard_events.json", out)
