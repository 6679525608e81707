// CTorch: the C ABI over libtorch that the Swift `Torch` target calls.
//
// Every function that can fail returns an `mt_status` (0 on success). On failure the
// C++ exception's message is stored in a thread-local slot that `mt_last_error` reads;
// no C++ exception ever crosses this boundary. Handles are opaque; each `*_free`
// function is safe to call with NULL. Nothing here holds logic beyond forwarding to
// ATen: the Swift side owns the API.
#ifndef CTORCH_H
#define CTORCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int32_t mt_status;
typedef struct mt_tensor_s *mt_tensor;       // owns one at::Tensor
typedef struct mt_list_s *mt_list;           // owns a std::vector<at::Tensor>
typedef struct mt_op_s *mt_op;               // an ATen operator (never freed)
typedef struct mt_generator_s *mt_generator; // owns one at::Generator

// MARK: Errors

/// The message of the last failure on this thread, or NULL.
const char *mt_last_error(void);
/// Clears this thread's last failure.
void mt_clear_error(void);
/// Records a failure raised on the Swift side (used by autograd callbacks).
void mt_set_error(const char *message);

// MARK: Tensors

/// Frees a tensor handle.
void mt_tensor_free(mt_tensor t);
/// A new handle to an undefined tensor (a placeholder after a captured failure).
mt_tensor mt_tensor_undefined(void);
/// A new handle sharing the same tensor.
mt_status mt_tensor_share(mt_tensor t, mt_tensor *out);
/// A CPU tensor copied from `data` (dense, row-major) of the given shape and scalar type.
mt_status mt_tensor_from_data(const void *data, const int64_t *shape, int64_t ndim,
                              int32_t scalar_type, mt_tensor *out);
/// An uninitialised CPU tensor whose memory is aligned to 2 MB and advised to the kernel as
/// transparent huge pages (`madvise(MADV_HUGEPAGE)`, as numpy does for large arrays): filling a
/// large one then costs a few page faults instead of one per 4 KB page.
mt_status mt_tensor_empty_huge_pages(const int64_t *shape, int64_t ndim, int32_t scalar_type, mt_tensor *out);
bool mt_tensor_is_defined(mt_tensor t);
mt_status mt_tensor_ndim(mt_tensor t, int64_t *out);
/// Writes `ndim` sizes into `out`.
mt_status mt_tensor_sizes(mt_tensor t, int64_t *out);
/// Writes `ndim` strides (in elements) into `out`.
mt_status mt_tensor_strides(mt_tensor t, int64_t *out);
mt_status mt_tensor_numel(mt_tensor t, int64_t *out);
mt_status mt_tensor_scalar_type(mt_tensor t, int32_t *out);
/// Device type (c10::DeviceType: 0 cpu, 1 cuda, ...) and index (-1 when unset).
mt_status mt_tensor_device(mt_tensor t, int32_t *type, int32_t *index);
/// Whether `t` is dense in `memory_format`'s order (c10::MemoryFormat: 0 row-major, 2 channels-last,
/// 3 channels-last 3-D).
mt_status mt_tensor_is_contiguous(mt_tensor t, int32_t memory_format, bool *out);
/// `t.contiguous()`, with a blocked transpose for float32 CPU tensors in channels-last (NHWC)
/// layout, several times faster than libtorch's strided copy when the channels are few.
mt_status mt_tensor_contiguous(mt_tensor t, mt_tensor *out);
/// Copies the tensor's elements (made dense, row-major, on the CPU) into `dst`,
/// which must hold exactly `nbytes` = numel * element size.
mt_status mt_tensor_copy_to(mt_tensor t, void *dst, size_t nbytes);
/// The address of the first element (CPU tensors; the storage stays owned by the tensor).
mt_status mt_tensor_data_ptr(mt_tensor t, void **out);

// MARK: Tensor lists

mt_list mt_list_new(void);
void mt_list_free(mt_list l);
/// Appends a tensor (NULL appends an undefined tensor).
void mt_list_push(mt_list l, mt_tensor t);
int64_t mt_list_size(mt_list l);
/// A new handle to element `i`, or NULL when it is undefined.
mt_tensor mt_list_get(mt_list l, int64_t i);

// MARK: Calling any ATen operator

/// What an `mt_value` holds.
typedef enum {
  MT_NONE = 0,          // None (an optional left empty)
  MT_DEFAULT,           // the schema's default for this position
  MT_TENSOR,            // t (NULL: an undefined tensor)
  MT_INT,               // i
  MT_DOUBLE,            // d
  MT_BOOL,              // i != 0
  MT_COMPLEX,           // d + i*d2
  MT_INT_LIST,          // ints[0..<count]
  MT_DOUBLE_LIST,       // doubles[0..<count]
  MT_BOOL_LIST,         // bools[0..<count]
  MT_TENSOR_LIST,       // tensors[0..<count]; as a result: list
  MT_OPT_TENSOR_LIST,   // tensors[0..<count], NULL entries are None
  MT_STRING,            // str
  MT_DEVICE,            // device type i, index (int)d
  MT_GENERATOR,         // generator
  MT_OTHER,             // a result of a kind not mapped here
} mt_kind;

/// One argument or result of `mt_op_call`.
typedef struct {
  int32_t kind;
  int64_t i;
  double d;
  double d2;
  int64_t count;
  mt_tensor t;
  const int64_t *ints;
  const double *doubles;
  const bool *bools;
  const mt_tensor *tensors;
  const char *str;
  mt_generator generator;
  mt_list list;
} mt_value;

/// Looks up `name` (e.g. "aten::add") with `overload` (e.g. "Tensor", or "").
mt_status mt_op_find(const char *name, const char *overload, mt_op *out);
/// The operator's schema, e.g. "aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor".
const char *mt_op_schema(mt_op op);
/// Calls an operator through the dispatcher (autograd included). `args` are the
/// schema's arguments in order; missing trailing ones take their defaults. Results
/// are written to `outs` (tensors as new handles, tensor lists as new `mt_list`s).
mt_status mt_op_call(mt_op op, const mt_value *args, int64_t nargs, mt_value *outs,
                     int64_t max_outs, int64_t *nouts);

// MARK: Autograd

mt_status mt_tensor_requires_grad(mt_tensor t, bool *out);
mt_status mt_tensor_set_requires_grad(mt_tensor t, bool value);
/// The accumulated gradient, or NULL when there is none.
mt_status mt_tensor_grad(mt_tensor t, mt_tensor *out);
/// Sets (or with NULL, clears) the accumulated gradient.
mt_status mt_tensor_set_grad(mt_tensor t, mt_tensor grad);
/// The name of the function that produced `t` (e.g. "MulBackward0"), or "" for leaves.
mt_status mt_tensor_grad_fn_name(mt_tensor t, char *buffer, size_t size);
mt_status mt_tensor_is_leaf(mt_tensor t, bool *out);
/// torch::autograd::backward over `outputs` with optional `grad_outputs` (NULL entries allowed).
mt_status mt_autograd_backward(const mt_tensor *outputs, const mt_tensor *grad_outputs, int64_t n,
                               bool retain_graph, bool create_graph);
/// torch::autograd::grad; results go to `out` (undefined when unused and `allow_unused`).
mt_status mt_autograd_grad(const mt_tensor *outputs, const mt_tensor *grad_outputs, int64_t n,
                           const mt_tensor *inputs, int64_t ninputs, bool retain_graph,
                           bool create_graph, bool allow_unused, mt_list out);
bool mt_grad_mode_enabled(void);
void mt_grad_mode_set(bool enabled);

/// The autograd context of one custom-function application (valid during its callbacks).
typedef struct mt_autograd_context_s *mt_autograd_context;
/// A callback of a custom autograd function. `forward` receives the inputs and pushes
/// its outputs into `out`; `backward` receives one gradient per output and pushes one
/// gradient per input (NULL for none). Returns 0, or nonzero after `mt_set_error`.
typedef int32_t (*mt_function_callback)(void *context, mt_autograd_context autograd, const mt_tensor *tensors,
                                        int64_t n, mt_list out);
/// During `forward`: saves tensors (inputs or outputs) for `backward` (`ctx->save_for_backward`).
/// Replaces what an earlier call saved.
mt_status mt_autograd_context_save(mt_autograd_context autograd, const mt_tensor *tensors, int64_t n);
/// During `backward`: the saved tensors, in the order saved (fails once the graph was freed).
mt_status mt_autograd_context_saved(mt_autograd_context autograd, mt_list out);
/// Releases the Swift context when the autograd node (or the call, on failure) is done with it.
typedef void (*mt_release_callback)(void *context);
/// Applies a custom autograd function whose forward and backward are Swift closures.
/// Forward runs with gradients disabled; its outputs are pushed into `out`.
mt_status mt_custom_function_apply(const mt_tensor *inputs, int64_t n, void *context,
                                   mt_function_callback forward, mt_function_callback backward,
                                   mt_release_callback release, mt_list out);

// MARK: Profiler

/// Starts libtorch's operator profiler (Kineto, CPU activity) on this process.
mt_status mt_profiler_start(void);
/// Stops it and writes one line per operator name, most time first: "name\tcalls\tnanoseconds\n"
/// (inclusive times), NUL-terminated, cut to whole lines that fit `size`.
mt_status mt_profiler_stop(char *buffer, size_t size);

// MARK: Random

void mt_manual_seed(uint64_t seed);
mt_status mt_generator_new(uint64_t seed, mt_generator *out);
/// A new handle to the default CPU generator.
mt_status mt_generator_default(mt_generator *out);
void mt_generator_free(mt_generator g);
mt_status mt_generator_set_seed(mt_generator g, uint64_t seed);
mt_status mt_generator_seed(mt_generator g, uint64_t *out);
/// The generator's full state as a uint8 tensor, and restoring it.
mt_status mt_generator_get_state(mt_generator g, mt_tensor *out);
mt_status mt_generator_set_state(mt_generator g, mt_tensor state);

// MARK: Runtime

/// The libtorch version these headers belong to, e.g. "2.11.0".
const char *mt_torch_version(void);
/// The directory holding the loaded libtorch_cpu.so.
mt_status mt_torch_library_directory(char *buffer, size_t size);
bool mt_cuda_is_available(void);
int64_t mt_cuda_device_count(void);
/// Waits for all work on the accelerator device `index`.
mt_status mt_accelerator_synchronize(int32_t index);
/// Bytes allocated now, at peak, and reserved by the accelerator's caching allocator.
mt_status mt_accelerator_memory_stats(int32_t index, int64_t *allocated, int64_t *peak, int64_t *reserved);
mt_status mt_accelerator_reset_peak(int32_t index);
/// Tunes the C allocator (glibc) for tensor workloads: blocks up to 32 MB come from the heap, and
/// freed memory up to 1 GB stays with the process for reuse (`malloc_trim` still returns it).
void mt_keep_freed_heap_memory(void);
int32_t mt_get_num_threads(void);
void mt_set_num_threads(int32_t n);
void mt_set_deterministic(bool enabled, bool warn_only);
bool mt_get_deterministic(void);

// MARK: Channels-last instance norm (ChannelsLastInstanceNorm.cpp)

/// Instance normalisation without affine or running statistics of a float32 CPU `input`
/// `[N, C, H, W]` in channels-last layout, then a leaky ReLU (`negative_slope` 1: none, 0: ReLU):
/// `out` (channels-last), and the per-(image, channel) `mean` and `inverse_std` =
/// 1/√(biased variance + eps), both `[N, C]`, for the backward pass.
mt_status mt_channels_last_instance_norm(mt_tensor input, double eps, double negative_slope, mt_tensor *out,
                                         mt_tensor *mean, mt_tensor *inverse_std);
/// The input gradient of ``mt_channels_last_instance_norm`` from its output gradient.
mt_status mt_channels_last_instance_norm_backward(mt_tensor grad_output, mt_tensor input, mt_tensor mean,
                                                  mt_tensor inverse_std, double negative_slope,
                                                  mt_tensor *grad_input);

// MARK: Normalisation + activation (NormActivation.cpp)

/// Batch normalisation with batch statistics (`per_image` false: each channel over the batch) or
/// instance normalisation (`per_image` true: each image's channel), the optional per-channel
/// `weight` and `bias` (NULL: none), then a leaky ReLU (`negative_slope` 0: ReLU, 1: none), fused,
/// of a row-major float32 CPU `input` [N, C, ...]: `out` like it, and the `mean` and biased
/// `variance` of each unit ([C] or [N·C]) for the backward pass and running statistics.
mt_status mt_norm_activation(mt_tensor input, mt_tensor weight, mt_tensor bias, bool per_image, double eps,
                             double negative_slope, mt_tensor *out, mt_tensor *mean, mt_tensor *variance);
/// The gradients of ``mt_norm_activation`` from its output gradient: input, and weight and bias
/// where given (else NULL).
mt_status mt_norm_activation_backward(mt_tensor grad_output, mt_tensor input, mt_tensor weight, mt_tensor bias,
                                      mt_tensor mean, mt_tensor variance, bool per_image, double eps,
                                      double negative_slope, mt_tensor *grad_input, mt_tensor *grad_weight,
                                      mt_tensor *grad_bias);

// MARK: Parallel loops (Parallel.cpp)

/// The number of chunks the shim's kernels split a loop of `iterations` iterations into, at most
/// one per `grain` iterations: libtorch's intra-op thread count where its OpenMP runtime is found,
/// 1 where not.
mt_status mt_parallel_chunks(int64_t iterations, int64_t grain, int64_t *chunks);

// MARK: 2×2 max pooling (MaxPool2x2.cpp)

/// `max_pool2d(input, 2)` (stride 2, no padding, floor mode) of a row-major float32 CPU tensor
/// [N, C, H, W] with H, W ≥ 2: the first maximum of each window in row-major order, NaN
/// propagating, as libtorch picks it. Not recorded by autograd.
mt_status mt_max_pool2x2(mt_tensor input, mt_tensor *out);
/// The input gradient of ``mt_max_pool2x2`` from its output gradient, the winners found again
/// from `input`: each output gradient at its window's winner, 0 elsewhere.
mt_status mt_max_pool2x2_backward(mt_tensor grad_output, mt_tensor input, mt_tensor *grad_input);

// MARK: Winograd weight gradient (Winograd.cpp)

/// The weight gradient [Co, Ci, 3, 3] of the "same" 3×3 convolution (stride 1, padding 1, one
/// group) of `input` [N, Ci, H, W], from the gradient of its output `grad_output` [N, Co, H, W],
/// by Winograd's F(4×4, 3×3): about 4× fewer multiplications than direct correlation, at about
/// 10× its float32 rounding error. Float32 CPU tensors; not recorded by autograd.
mt_status mt_winograd_conv2d_weight_gradient(mt_tensor input, mt_tensor grad_output, mt_tensor *out);

// MARK: Typed fast paths (FastOps.cpp)
//
// Direct calls for the hottest element-wise operators, skipping the boxed dispatcher
// call of `mt_op_call` (about half the per-op overhead for small tensors). Each code
// forwards to the ATen function of the same name; autograd still records the call.

/// Binary operators of `mt_binary*` (`at::<name>`).
typedef enum {
  MT_BINARY_ADD = 0,
  MT_BINARY_SUB,
  MT_BINARY_MUL,
  MT_BINARY_DIV,
  MT_BINARY_POW,
  MT_BINARY_REMAINDER,
  MT_BINARY_FLOOR_DIVIDE,
  MT_BINARY_MAXIMUM,  // tensor operands only
  MT_BINARY_MINIMUM,  // tensor operands only
  MT_BINARY_ATAN2,    // tensor operands only
  MT_BINARY_EQ,
  MT_BINARY_NE,
  MT_BINARY_LT,
  MT_BINARY_LE,
  MT_BINARY_GT,
  MT_BINARY_GE,
  MT_BINARY_LOGICAL_AND, // tensor operands only
  MT_BINARY_LOGICAL_OR,  // tensor operands only
  MT_BINARY_LOGICAL_XOR, // tensor operands only
} mt_binary_op;

/// Unary operators of `mt_unary*` (`at::<name>`).
typedef enum {
  MT_UNARY_NEG = 0,
  MT_UNARY_ABS,
  MT_UNARY_SQRT,
  MT_UNARY_RSQRT,
  MT_UNARY_EXP,
  MT_UNARY_EXPM1,
  MT_UNARY_LOG,
  MT_UNARY_LOG1P,
  MT_UNARY_LOG2,
  MT_UNARY_LOG10,
  MT_UNARY_SIN,
  MT_UNARY_COS,
  MT_UNARY_TAN,
  MT_UNARY_ASIN,
  MT_UNARY_ACOS,
  MT_UNARY_ATAN,
  MT_UNARY_SINH,
  MT_UNARY_COSH,
  MT_UNARY_TANH,
  MT_UNARY_SIGMOID,
  MT_UNARY_RELU,
  MT_UNARY_SIGN,
  MT_UNARY_FLOOR,
  MT_UNARY_CEIL,
  MT_UNARY_ROUND,
  MT_UNARY_TRUNC,
  MT_UNARY_RECIPROCAL,
  MT_UNARY_SQUARE,
  MT_UNARY_ERF,
  MT_UNARY_ISNAN,       // no in-place form
  MT_UNARY_ISFINITE,    // no in-place form
  MT_UNARY_LOGICAL_NOT,
} mt_unary_op;

/// A Swift number for a `Scalar` argument: an integer keeps integer tensors integer.
typedef struct {
  double d;
  int64_t i;
  bool is_integer;
} mt_scalar;

/// `op(a, b)` with broadcasting and type promotion.
mt_status mt_binary(int32_t op, mt_tensor a, mt_tensor b, mt_tensor *out);
/// `op(a, s)`, or with `reversed`, `op(s, a)`.
mt_status mt_binary_scalar(int32_t op, mt_tensor a, mt_scalar s, bool reversed, mt_tensor *out);
/// `a.op_(b)`: updates `a` in place.
mt_status mt_binary_(int32_t op, mt_tensor a, mt_tensor b);
/// `a.op_(s)`: updates `a` in place.
mt_status mt_binary_scalar_(int32_t op, mt_tensor a, mt_scalar s);
/// `op(a)`.
mt_status mt_unary(int32_t op, mt_tensor a, mt_tensor *out);
/// `a.op_()`: updates `a` in place.
mt_status mt_unary_(int32_t op, mt_tensor a);

// MARK: Autocast (mixed precision)
// `device_type` is a c10::DeviceType code (0 CPU, 1 CUDA); dtypes are c10::ScalarType codes.

/// Whether autocast is on for `device_type` on this thread (`torch.is_autocast_enabled(device_type)`).
mt_status mt_autocast_is_enabled(int32_t device_type, bool *out);
/// Switches autocast on or off for `device_type` on this thread.
mt_status mt_autocast_set_enabled(int32_t device_type, bool enabled);
/// The lower-precision dtype autocast casts to on `device_type`.
mt_status mt_autocast_get_dtype(int32_t device_type, int32_t *out);
/// Sets the lower-precision dtype autocast casts to on `device_type`.
mt_status mt_autocast_set_dtype(int32_t device_type, int32_t scalar_type);
/// Enters an autocast scope; `out` is the new nesting depth.
mt_status mt_autocast_increment_nesting(int32_t *out);
/// Leaves an autocast scope; `out` is the new nesting depth (clear the cache when it reaches 0).
mt_status mt_autocast_decrement_nesting(int32_t *out);
/// Drops the casted-weight cache autocast keeps within a scope.
mt_status mt_autocast_clear_cache(void);

// MARK: Distributed (Distributed.cpp)
//
// A c10d process group: rank 0 hosts a TCPStore at `master_address:master_port` through which
// all ranks meet, then collectives run over Gloo. Lists of tensors travel in flat buckets of
// at most `bucket_bytes` (one dtype each), results written back in place. A peer that dies
// or stalls past `timeout_ms` makes the collective fail (never hang).

typedef struct mt_process_group_s *mt_process_group; // owns a store and a c10d backend

/// Joins the group `rank` of `world_size` (blocks until all ranks have joined or the timeout).
/// `backend`: "gloo" (others fail, naming the backend).
mt_status mt_process_group_new(const char *backend, const char *master_address, int32_t master_port,
                               int32_t rank, int32_t world_size, int64_t timeout_ms, mt_process_group *out);
void mt_process_group_free(mt_process_group group);
/// Sums (or with `average`, averages) each tensor across ranks, in place.
mt_status mt_process_group_all_reduce(mt_process_group group, const mt_tensor *tensors, int64_t n, bool average,
                                      int64_t bucket_bytes);
/// Copies rank `root`'s tensors into every rank's, in place.
mt_status mt_process_group_broadcast(mt_process_group group, const mt_tensor *tensors, int64_t n, int32_t root,
                                     int64_t bucket_bytes);
/// Returns once every rank has reached it.
mt_status mt_process_group_barrier(mt_process_group group);

typedef struct mt_reducer_s *mt_reducer; // owns a c10d::Reducer (DDP's gradient engine)

/// A reducer over `parameters` (all requiring gradients; `names`, or NULL, name them in its
/// errors): hooks on their gradient accumulators average gradients across the group in buckets
/// of `bucket_bytes` while backward runs. With `find_unused_parameters`, each armed backward
/// first searches the graph for parameters it will not reach (DDP's option of that name).
mt_status mt_reducer_new(mt_process_group group, const mt_tensor *parameters, const char *const *names, int64_t n,
                         int64_t bucket_bytes, bool find_unused_parameters, mt_reducer *out);
void mt_reducer_free(mt_reducer reducer);
/// Arms the hooks for the next backward from `outputs` (a backward without this call only
/// accumulates locally); when it returns, the gradients are averaged across ranks.
mt_status mt_reducer_prepare_for_backward(mt_reducer reducer, const mt_tensor *outputs, int64_t n);
/// Fails, naming the parameters that got no gradient, unless the armed backward averaged every bucket.
mt_status mt_reducer_check_finalized(mt_reducer reducer);

#ifdef __cplusplus
}
#endif

#endif
