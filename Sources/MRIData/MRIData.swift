// MRIData: the files MRI people have (fastMRI HDF5, NIfTI, TIFF, PNG, NumPy, BART, DICOM),
// typed datasets for each source, samplers, transforms and a multi-threaded loader.
// Importing MRIData gives the MRI physics and the tensor API too.
@_exported import MRI
