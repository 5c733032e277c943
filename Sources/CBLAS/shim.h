#include <cblas.h>
/* OpenBLAS's Fortran-interface header: declares the LAPACK routines OpenBLAS ships (dpotrf_). */
#include <f77blas.h>
