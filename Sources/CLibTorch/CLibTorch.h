// Marker header for the `CLibTorch` system-library target.
//
// The target exists only to carry the compile and link flags of libtorch, which
// SwiftPM reads from the `libtorch.pc` pkg-config file that `make setup` writes
// (`-I<torch>/include -L<torch>/lib -ltorch_cpu -lc10`). The shim includes the
// real headers itself; nothing is declared here.
