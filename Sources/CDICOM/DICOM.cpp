// The C ABI of CDICOM.h over dcmtk's DcmFileFormat / DcmDataset.
#include "CDICOM.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>

#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <string>

struct mk_dicom_file_s {
    DcmFileFormat format;
};

namespace {

void copy(const std::string &text, char *out, size_t size) {
    if (out == nullptr || size == 0) return;
    size_t count = text.size() < size - 1 ? text.size() : size - 1;
    std::memcpy(out, text.data(), count);
    out[count] = '\0';
}

/// dcmtk's decoders are registered once per process, and its log (which would print parser
/// warnings on stderr) is silenced: failures reach Swift as OFConditions instead.
void prepare() {
    static std::once_flag once;
    std::call_once(once, [] {
        OFLog::configure(OFLogger::OFF_LOG_LEVEL);
        DcmRLEDecoderRegistration::registerCodecs();
        DJDecoderRegistration::registerCodecs();
        DJLSDecoderRegistration::registerCodecs();
    });
}

}  // namespace

extern "C" mk_dicom_file mk_dicom_open(const char *path, char *message, size_t message_size) {
    try {
        prepare();
        auto file = std::make_unique<mk_dicom_file_s>();
        OFCondition status = file->format.loadFile(path, EXS_Unknown, EGL_noChange, DCM_MaxReadLength, ERM_fileOnly);
        if (status.bad()) {
            copy(status.text(), message, message_size);
            return nullptr;
        }
        return file.release();
    } catch (const std::exception &error) {
        copy(error.what(), message, message_size);
    } catch (...) {
        copy("unknown C++ exception in dcmtk", message, message_size);
    }
    return nullptr;
}

extern "C" void mk_dicom_free(mk_dicom_file file) { delete file; }

extern "C" int mk_dicom_string(mk_dicom_file file, uint16_t group, uint16_t element, char *value, size_t value_size) {
    try {
        OFString text;
        OFCondition status = file->format.getDataset()->findAndGetOFStringArray(DcmTagKey(group, element), text);
        if (status == EC_TagNotFound || (status.good() && text.empty())) return 0;
        if (status.bad()) {
            copy(status.text(), value, value_size);
            return -1;
        }
        if (text.size() >= value_size) {
            copy("value too long (" + std::to_string(text.size()) + " bytes)", value, value_size);
            return -1;
        }
        copy(std::string(text.c_str(), text.size()), value, value_size);
        return 1;
    } catch (const std::exception &error) {
        copy(error.what(), value, value_size);
    } catch (...) {
        copy("unknown C++ exception in dcmtk", value, value_size);
    }
    return -1;
}

extern "C" void mk_dicom_transfer_syntax(mk_dicom_file file, char *uid, size_t uid_size, char *name, size_t name_size) {
    try {
        DcmXfer transfer(file->format.getDataset()->getOriginalXfer());
        copy(transfer.getXferID(), uid, uid_size);
        copy(transfer.getXferName(), name, name_size);
    } catch (...) {
        copy("", uid, uid_size);
        copy("unknown", name, name_size);
    }
}

extern "C" int64_t mk_dicom_pixel_data(mk_dicom_file file, const void **bytes, char *message, size_t message_size) {
    try {
        DcmDataset *dataset = file->format.getDataset();
        if (DcmXfer(dataset->getOriginalXfer()).isEncapsulated()) {
            OFCondition status = dataset->chooseRepresentation(EXS_LittleEndianExplicit, nullptr);
            if (status.bad() || !dataset->canWriteXfer(EXS_LittleEndianExplicit)) {
                copy(std::string("cannot decode: ") + status.text(), message, message_size);
                return -1;
            }
        }
        DcmElement *pixels = nullptr;
        OFCondition status = dataset->findAndGetElement(DCM_PixelData, pixels);
        if (status.bad() || pixels == nullptr) {
            copy(status.text(), message, message_size);
            return -1;
        }
        // Words (VR OW) come in host byte order from getUint16Array; bytes (OB) from getUint8Array.
        Uint16 *words = nullptr;
        if (pixels->getUint16Array(words).good() && words != nullptr) {
            *bytes = words;
            return static_cast<int64_t>(pixels->getLength());
        }
        Uint8 *octets = nullptr;
        status = pixels->getUint8Array(octets);
        if (status.bad() || octets == nullptr) {
            copy(status.bad() ? status.text() : "empty", message, message_size);
            return -1;
        }
        *bytes = octets;
        return static_cast<int64_t>(pixels->getLength());
    } catch (const std::exception &error) {
        copy(error.what(), message, message_size);
    } catch (...) {
        copy("unknown C++ exception in dcmtk", message, message_size);
    }
    return -1;
}
