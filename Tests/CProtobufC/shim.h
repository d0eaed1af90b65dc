#ifndef ONVERA_CPROTOBUFC_SHIM_H
#define ONVERA_CPROTOBUFC_SHIM_H
#include <protobuf-c/protobuf-c.h>
#endif
