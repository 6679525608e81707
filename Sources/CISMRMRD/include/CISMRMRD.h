// CISMRMRD: a thin wrapper over libismrmrd's C API (Debian's libismrmrd-dev) for MRIData.
//
// libismrmrd's acquisitions hold their samples as C `float complex`, which Swift does not
// import: these functions hand them over as interleaved floats. libismrmrd reports failures
// through a process-wide error handler; here they are kept per thread and returned in
// `message` (NUL-terminated, cut to `message_size`) instead of being printed.
#ifndef CISMRMRD_H
#define CISMRMRD_H

#include <stddef.h>
#include <stdint.h>

#include <ismrmrd/ismrmrd.h>

/// An open ISMRMRD dataset and the acquisition last read from it.
typedef struct mk_ismrmrd_s *mk_ismrmrd;

/// Opens the dataset group `group` (normally "dataset") of the ISMRMRD HDF5 file at `path`,
/// read-only; NULL on failure.
mk_ismrmrd mk_ismrmrd_open(const char *path, const char *group, char *message, size_t message_size);
/// Closes a dataset (NULL is ignored).
void mk_ismrmrd_close(mk_ismrmrd dataset);
/// The XML header, to be released with `free`; NULL on failure.
char *mk_ismrmrd_header(mk_ismrmrd dataset, char *message, size_t message_size);
/// The number of acquisitions (0 when there are none or on failure).
uint32_t mk_ismrmrd_acquisition_count(mk_ismrmrd dataset);
/// Reads acquisition `index` into the dataset's buffer, copies its header into `head` and
/// points `data` at its samples: `active_channels × number_of_samples` complex values,
/// interleaved real and imaginary float32, channel by channel; valid until the next read or
/// `mk_ismrmrd_close`. Returns 0, or -1 on failure.
int mk_ismrmrd_read_acquisition(mk_ismrmrd dataset, uint32_t index, ISMRMRD_AcquisitionHeader *head,
                                const float **data, char *message, size_t message_size);

#endif
