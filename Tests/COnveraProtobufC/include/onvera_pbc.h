#ifndef ONVERA_PBC_H
#define ONVERA_PBC_H
// The contract compiled by protoc-c, and a few helpers so Swift tests and
// benchmarks can drive libprotobuf-c by message name.
#include <stddef.h>
#include <stdint.h>
#include <protobuf-c/protobuf-c.h>
#include "google/protobuf/timestamp.pb-c.h"
#include "google/protobuf/duration.pb-c.h"
#include "onvera/v1/resources.pb-c.h"
#include "onvera/v1/deployments.pb-c.h"
#include "onvera/v1/environments.pb-c.h"
#include "onvera/v1/operations.pb-c.h"
#include "onvera/v1/organizations.pb-c.h"
#include "onvera/test/wire_test.pb-c.h"

/// Every message descriptor, terminated by NULL.
extern const ProtobufCMessageDescriptor *const onvera_pbc_descriptors[];

/// The i-th descriptor of the table, or NULL past its end.
const ProtobufCMessageDescriptor *onvera_pbc_descriptor_at(size_t index);

/// The descriptor of the message with this full name ("onvera.v1.Deployment"), or NULL.
const ProtobufCMessageDescriptor *onvera_pbc_find(const char *full_name);

/// Unpacks `data` as the message named `full_name`; NULL when it does not parse.
ProtobufCMessage *onvera_pbc_unpack(const char *full_name, const uint8_t *data, size_t length);

/// Unpacks with a known descriptor (no lookup), for benchmarks.
ProtobufCMessage *onvera_pbc_unpack_with(const ProtobufCMessageDescriptor *descriptor,
                                         const uint8_t *data, size_t length);

/// The packed size of a message.
size_t onvera_pbc_packed_size(const ProtobufCMessage *message);

/// Packs a message into `out`, which holds at least its packed size; returns the bytes written.
size_t onvera_pbc_pack(const ProtobufCMessage *message, uint8_t *out);

/// Whether the message type declares a field with this number.
int onvera_pbc_has_field(const ProtobufCMessageDescriptor *descriptor, uint32_t number);

/// Frees a message returned by the unpack functions.
void onvera_pbc_free(ProtobufCMessage *message);

#endif
