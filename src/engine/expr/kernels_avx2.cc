// The kernels (kernels_impl.h) compiled for the avx2 instruction-set level; see CMakeLists.txt.
#define HEARTH_EXPR_KERNEL_LEVEL avx2
#include "engine/expr/kernels_impl.h"
