// CDICOM: a thin C ABI over dcmtk's dcmdata (Debian's libdcmtk-dev) for MRIData's DICOM reader.
//
// dcmtk is C++; these functions catch every C++ exception, so none crosses into Swift. A
// function that fails returns 0 or -1 and writes dcmtk's message into `message`
// (NUL-terminated, cut to `message_size`). Interpreting the tags is the Swift side's work.
#ifndef CDICOM_H
#define CDICOM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One DICOM Part 10 file loaded by dcmtk (`DcmFileFormat`).
typedef struct mk_dicom_file_s *mk_dicom_file;

/// Loads the DICOM Part 10 file (128-byte preamble and "DICM") at `path`; NULL on failure.
mk_dicom_file mk_dicom_open(const char *path, char *message, size_t message_size);
/// Frees a file loaded by `mk_dicom_open` (NULL is ignored).
void mk_dicom_free(mk_dicom_file file);

/// Writes the value of data element (`group`, `element`) of the dataset as text into `value`,
/// multiple values separated by backslashes, as DICOM stores them. Returns 1 when found, 0 when
/// the element is absent or empty, -1 on failure (message in `value`). A value longer than
/// `value_size - 1` bytes is a failure.
int mk_dicom_string(mk_dicom_file file, uint16_t group, uint16_t element, char *value, size_t value_size);

/// Writes the UID and dcmtk's name of the transfer syntax the file was stored in.
void mk_dicom_transfer_syntax(mk_dicom_file file, char *uid, size_t uid_size, char *name, size_t name_size);

/// Points `bytes` at the native (uncompressed, host byte order) Pixel Data (7FE0,0010),
/// decoding encapsulated transfer syntaxes dcmtk has decoders for (RLE, JPEG, JPEG-LS).
/// Returns the byte count, or -1 on failure. `bytes` stays valid until `mk_dicom_free`.
int64_t mk_dicom_pixel_data(mk_dicom_file file, const void **bytes, char *message, size_t message_size);

#ifdef __cplusplus
}
#endif

#endif
