#include "onvera_pbc.h"
