// The kernels (kernels_impl.h) compiled for the avx512 instruction-set level; see CMakeLists.txt.
#define HEARTH_EXPR_KERNEL_LEVEL avx512
#include "engine/expr/kernels_impl.h"
