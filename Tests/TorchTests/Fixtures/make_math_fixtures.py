"""Writes math.json: PyTorch reference values for the Torch target's creation, random,
arithmetic, element-wise, linear-algebra, reduction, complex and FFT operators, plus
gradients for a representative subset. Run from the repository root:

    .venv/bin/python Tests/TorchTests/Fixtures/make_math_fixtures.py
"""
import math
import sys

import torch

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io  # noqa: E402

torch.set_num_threads(1)
out = {}

# Random streams: the CPU generator is libtorch's, so Swift must reproduce these bit for bit.
torch.manual_seed(0)
out["randn_seed0"] = torch.randn(5)
torch.manual_seed(0)
out["rand_seed0"] = torch.rand(2, 3)
torch.manual_seed(0)
out["randint_seed0"] = torch.randint(-3, 10, (6,))
torch.manual_seed(0)
out["randperm_seed0"] = torch.randperm(8)
g = torch.Generator().manual_seed(42)
out["randn_gen42"] = torch.randn(4, 2, generator=g)
out["rand_gen42_next"] = torch.rand(3, generator=g, dtype=torch.float64)

# Creation.
out["arange_int"] = torch.arange(2, 11, 3)
out["arange_end"] = torch.arange(4)
out["arange_double"] = torch.arange(0.0, 1.0, 0.15)
out["linspace"] = torch.linspace(-1.0, 2.0, 7)
out["eye_3x4"] = torch.eye(3, 4)
out["full_int"] = torch.full((2, 2), 7)
out["full_double"] = torch.full((2,), 2.5)

# Inputs.
torch.manual_seed(1234)
a = torch.randn(3, 4)
b = torch.randn(4)
c = torch.randn(3, 1)
pos = torch.rand(3, 4) + 0.5
unit = torch.rand(3, 4) * 1.8 - 0.9
ints = torch.randint(-9, 10, (3, 4))
m1 = torch.randn(2, 3, 4)
m2 = torch.randn(2, 4, 5)
z = torch.randn(3, 4, dtype=torch.complex64)
x64 = torch.randn(4, 5, dtype=torch.float64)
special = torch.tensor([float("nan"), float("inf"), -float("inf"), 1.5, -0.5])
# `special` is rebuilt in Swift: JSON has no NaN or infinities.
for name, value in dict(a=a, b=b, c=c, pos=pos, unit=unit, ints=ints, m1=m1, m2=m2, z=z, x64=x64).items():
    out[f"in_{name}"] = value

# Arithmetic with broadcasting and scalars.
out["a_plus_b"] = a + b
out["a_minus_c"] = a - c
out["a_times_b"] = a * b
out["a_div_pos"] = a / pos
out["a_plus_2"] = a + 2
out["two_minus_a"] = 2 - a
out["a_times_1_5"] = a * 1.5
out["three_div_pos"] = 3 / pos
out["neg_a"] = -a
out["a_div_0_3"] = a / 0.3
out["a_minus_0_1"] = a - 0.1
out["a_times_2"] = a * 2
out["x64_plus_0_1"] = x64 + 0.1
out["x64_rdiv_3"] = torch.div(3, x64)
out["two_minus_ints"] = 2 - ints
out["ints_ge_0"] = ints >= 0
out["a_lt_0_5"] = a < 0.5
out["a_times_1e40_isinf"] = (a * 1e40).isinf()
out["ints_plus_3"] = ints + 3
out["ints_times_0_5"] = ints * 0.5
out["ints_div_2"] = ints / 2
out["pos_pow_b"] = pos.pow(b)
out["a_pow_2"] = a.pow(2)
out["two_pow_a"] = torch.pow(2, a)
out["ints_remainder_4"] = ints.remainder(4)
out["ints_floor_divide_4"] = ints.floor_divide(4)
out["a_remainder_c"] = a.remainder(c)
t = a.clone()
t += b
t *= 2
t -= c
t /= pos
out["inplace_chain"] = t
u = a.clone()
u.add_(1).mul_(2).sub_(b).div_(3).pow_(2).neg_()
out["inplace_methods"] = u.clone()
u += 0.5
u *= 2
u -= 1
u /= 4
out["inplace_scalar_operators"] = u.clone()
out["inplace_unary"] = u.abs_().sqrt_().exp_()

# Comparisons and logic.
out["a_lt_b"] = a < b
out["a_ge_0"] = a >= 0
out["ints_eq_ints_t"] = ints == ints.t().reshape(3, 4)
out["logic_and"] = torch.logical_and(a > 0, b > 0)
out["logic_or"] = torch.logical_or(a > 0, c > 0)
out["logic_not"] = torch.logical_not(a > 0)
out["logic_xor"] = torch.logical_xor(a > 0, b > 0)
out["ints_floor_divide_t"] = ints.floor_divide(ints.flip(1).clamp(min=1))

# Element-wise math.
for name in ["abs", "exp", "expm1", "sin", "cos", "tan", "atan", "sinh", "cosh", "tanh", "sigmoid", "relu",
             "sign", "floor", "ceil", "round", "trunc", "square", "erf"]:
    out[f"a_{name}"] = getattr(torch, name)(a)
for name in ["sqrt", "rsqrt", "log", "log1p", "log2", "log10", "reciprocal"]:
    out[f"pos_{name}"] = getattr(torch, name)(pos)
for name in ["asin", "acos"]:
    out[f"unit_{name}"] = getattr(torch, name)(unit)
out["a_atan2_b"] = torch.atan2(a, b)
out["a_clamp"] = a.clamp(min=-0.5, max=0.7)
out["a_clamp_min"] = a.clamp(min=0.1)
out["ints_clamp"] = ints.clamp(min=-2, max=5)
out["a_lerp_pos"] = torch.lerp(a, pos, 0.3)
out["a_lerp_pos_t"] = torch.lerp(a, pos, unit)
out["a_maximum_b"] = torch.maximum(a, b)
out["a_minimum_c"] = torch.minimum(a, c)
out["special_isnan"] = special.isnan()
out["special_isfinite"] = special.isfinite()
out["special_nan_to_num"] = special.nan_to_num(nan=0.25, posinf=9.0)
out["special_nan_to_num_default"] = special.nan_to_num()
out["x64_exp"] = x64.exp()

# Linear algebra.
out["mm"] = a.mm(x64.float())
out["matmul_broadcast"] = torch.matmul(m1, x64.float()[:, :2])  # [2, 3, 4] @ [4, 2]
out["bmm"] = torch.bmm(m1, m2)
out["einsum_bij_bjk"] = torch.einsum("bij,bjk->bik", m1, m2)
out["einsum_trace"] = torch.einsum("ii->", a[:, :3])
out["outer"] = torch.outer(b, c.reshape(3))
out["dot"] = torch.dot(b, a[0])

# Reductions.
out["sum_all"] = a.sum()
out["sum_dim1"] = a.sum(1)
out["sum_dims_keep"] = m1.sum((0, 2), keepdim=True)
out["ints_sum"] = ints.sum()
out["mean_all"] = a.mean()
out["mean_dim0_keep"] = a.mean(0, keepdim=True)
out["std_all"] = a.std()
out["std_dim1_pop"] = a.std(1, correction=0)
out["var_dim0"] = a.var(0)
out["x64_var_all"] = x64.var()
out["max_all"] = a.max()
out["min_all"] = a.min()
out["max_dim1_values"], out["max_dim1_indices"] = a.max(1)
out["min_dim0_values"], out["min_dim0_indices"] = a.min(0, keepdim=True)
out["argmax_all"] = a.argmax()
out["argmin_dim1"] = a.argmin(1)
out["amax_dims"] = m1.amax((1, 2))
out["amin_all"] = m1.amin()
out["norm_all"] = a.norm()
out["norm_p1_dim1"] = torch.linalg.vector_norm(a, 1, dim=1)
out["norm_inf"] = torch.linalg.vector_norm(a, math.inf)
out["norm_p3_keep"] = torch.linalg.vector_norm(m1, 3, dim=(1, 2), keepdim=True)
out["prod_all"] = pos.prod()
out["prod_dim1"] = pos.prod(1)
out["cumsum_dim1"] = a.cumsum(1)
out["ints_cumsum_dim0"] = ints.cumsum(0)
out["topk_values"], out["topk_indices"] = a.topk(2, dim=1)
out["topk_small_values"], out["topk_small_indices"] = a.topk(2, dim=0, largest=False)
out["sort_values"], out["sort_indices"] = a.sort(dim=1, descending=True)
out["quantile_0_3"] = a.quantile(0.3)
out["quantile_dim1_nearest"] = a.quantile(0.75, dim=1, interpolation="nearest")
out["logsumexp_dim1"] = a.logsumexp(1)
out["logsumexp_dims_keep"] = m1.logsumexp((0, 2), keepdim=True)
out["all_dim1"] = (a > -1).all(1)
out["any_all"] = (a > 2).any()
out["any_dim0"] = (a > 1).any(0)

# Complex.
out["z_real"] = z.real
out["z_imag"] = z.imag
out["z_conj"] = z.conj().resolve_conj()
out["z_angle"] = z.angle()
out["z_abs"] = z.abs()
out["z_times_z"] = z * z
out["z_plus_a"] = z + a
out["complex_a_pos"] = torch.complex(a, pos)
out["polar_pos_a"] = torch.polar(pos, a)
out["z_view_as_real"] = torch.view_as_real(z)
out["z_exp"] = z.exp()
out["z_sum_dim0"] = z.sum(0)
out["z_norm"] = z.norm()

# FFT.
signal = torch.randn(6, 8, dtype=torch.complex64)
real_signal = torch.randn(4, 10)
volume = torch.randn(3, 4, 5, dtype=torch.complex64)
out["in_signal"] = signal
out["in_real_signal"] = real_signal
out["in_volume"] = volume
out["fft"] = torch.fft.fft(signal)
out["fft_n5_dim0_ortho"] = torch.fft.fft(signal, n=5, dim=0, norm="ortho")
out["ifft"] = torch.fft.ifft(signal)
out["ifft_n10_forward"] = torch.fft.ifft(signal, n=10, norm="forward")
out["fft2"] = torch.fft.fft2(signal)
out["fft2_s_ortho"] = torch.fft.fft2(signal, s=(4, 9), norm="ortho")
out["ifft2"] = torch.fft.ifft2(signal)
out["fftn"] = torch.fft.fftn(volume)
out["fftn_dims_forward"] = torch.fft.fftn(volume, dim=(0, 2), norm="forward")
out["ifftn_s"] = torch.fft.ifftn(volume, s=(4, 4))
out["fft_real_input"] = torch.fft.fft(real_signal)
out["rfft"] = torch.fft.rfft(real_signal)
out["rfft_n7_dim0"] = torch.fft.rfft(real_signal, n=7, dim=0)
out["irfft"] = torch.fft.irfft(torch.fft.rfft(real_signal))
out["irfft_n9_ortho"] = torch.fft.irfft(signal, n=9, norm="ortho")
out["fftshift"] = torch.fft.fftshift(volume)
out["fftshift_dims"] = torch.fft.fftshift(volume, dim=(1, 2))
out["ifftshift"] = torch.fft.ifftshift(volume)
out["ifftshift_dim0"] = torch.fft.ifftshift(volume, dim=(0,))


# Gradients: d(loss)/d(inputs) for a representative subset.
def grads(fn, *inputs):
    leaves = [x.detach().clone().requires_grad_(True) for x in inputs]
    fn(*leaves).backward()
    return [leaf.grad for leaf in leaves]


out["grad_arith_a"], out["grad_arith_b"], out["grad_arith_c"] = grads(
    lambda a, b, c: ((a + b) * c / (b * b + 1) - 2 * a).sum(), a, b, c)
out["grad_matmul_m1"], out["grad_matmul_m2"] = grads(lambda x, y: (torch.matmul(x, y) ** 2).mean(), m1, m2)
out["grad_reduce_a"] = grads(lambda x: x.sum() + x.mean(1).pow(2).sum() + x.std() + x.norm(), a)[0]
out["grad_logsumexp_m1"] = grads(lambda x: x.logsumexp(2).sum(), m1)[0]
out["grad_complex_abs_z"] = grads(lambda x: x.abs().sum(), z)[0]
weight = torch.randn(6, 8)
out["in_weight"] = weight
out["grad_fft2_signal"] = grads(lambda x: (torch.fft.fft2(x, norm="ortho").abs() * weight).sum(), signal)[0]

fixture_io.save("Tests/TorchTests/Fixtures/math.json", out)
print(f"wrote {len(out)} tensors")
