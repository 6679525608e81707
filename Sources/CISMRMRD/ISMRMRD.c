// The wrapper of CISMRMRD.h over libismrmrd's dataset API.
#include "CISMRMRD.h"

#include <hdf5.h>
#include <ismrmrd/dataset.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mk_ismrmrd_s {
    ISMRMRD_Dataset dataset;
    ISMRMRD_Acquisition acquisition;
};

/// The last message libismrmrd's error handler received on this thread.
static _Thread_local char last_error[512];

static void record_error(const char *file, int line, const char *function, int code, const char *message) {
    (void)file;
    (void)line;
    snprintf(last_error, sizeof last_error, "%s (%s)", message ? message : "error", function ? function : "?");
    (void)code;
}

/// Sets the handler and clears the last message; returns nothing, as libismrmrd's setter.
static void prepare(void) {
    ismrmrd_set_error_handler(record_error);
    // HDF5 would print its own error stack for a file that is not HDF5: the message suffices.
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    last_error[0] = '\0';
}

static void report(char *message, size_t message_size, const char *fallback) {
    if (message == NULL || message_size == 0) return;
    snprintf(message, message_size, "%s", last_error[0] ? last_error : fallback);
}

mk_ismrmrd mk_ismrmrd_open(const char *path, const char *group, char *message, size_t message_size) {
    prepare();
    struct mk_ismrmrd_s *handle = calloc(1, sizeof *handle);
    if (handle == NULL) {
        report(message, message_size, "out of memory");
        return NULL;
    }
    if (ismrmrd_init_dataset(&handle->dataset, path, group) != ISMRMRD_NOERROR) {
        report(message, message_size, "cannot initialise the dataset");
        free(handle);
        return NULL;
    }
    if (ismrmrd_open_dataset(&handle->dataset, false) != ISMRMRD_NOERROR) {
        report(message, message_size, "not an ISMRMRD HDF5 file");
        ismrmrd_close_dataset(&handle->dataset);
        free(handle);
        return NULL;
    }
    ismrmrd_init_acquisition(&handle->acquisition);
    return handle;
}

void mk_ismrmrd_close(mk_ismrmrd dataset) {
    if (dataset == NULL) return;
    ismrmrd_cleanup_acquisition(&dataset->acquisition);
    ismrmrd_close_dataset(&dataset->dataset);
    free(dataset);
}

char *mk_ismrmrd_header(mk_ismrmrd dataset, char *message, size_t message_size) {
    prepare();
    char *xml = ismrmrd_read_header(&dataset->dataset);
    if (xml == NULL) report(message, message_size, "no XML header");
    return xml;
}

uint32_t mk_ismrmrd_acquisition_count(mk_ismrmrd dataset) {
    prepare();
    return ismrmrd_get_number_of_acquisitions(&dataset->dataset);
}

int mk_ismrmrd_read_acquisition(mk_ismrmrd dataset, uint32_t index, ISMRMRD_AcquisitionHeader *head,
                                const float **data, char *message, size_t message_size) {
    prepare();
    if (ismrmrd_read_acquisition(&dataset->dataset, index, &dataset->acquisition) != ISMRMRD_NOERROR) {
        report(message, message_size, "cannot read the acquisition");
        return -1;
    }
    *head = dataset->acquisition.head;
    *data = (const float *)dataset->acquisition.data;
    return 0;
}
