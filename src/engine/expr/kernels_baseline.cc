// The kernels (kernels_impl.h) compiled for the baseline instruction-set level; see CMakeLists.txt.
#define HEARTH_EXPR_KERNEL_LEVEL baseline
#include "engine/expr/kernels_impl.h"
