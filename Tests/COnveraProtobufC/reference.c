#include <string.h>
#include "onvera_pbc.h"

const ProtobufCMessageDescriptor *onvera_pbc_find(const char *full_name) {
  for (size_t i = 0; onvera_pbc_descriptors[i] != NULL; i++) {
    if (strcmp(onvera_pbc_descriptors[i]->name, full_name) == 0) {
      return onvera_pbc_descriptors[i];
    }
  }
  return NULL;
}

ProtobufCMessage *onvera_pbc_unpack(const char *full_name, const uint8_t *data, size_t length) {
  const ProtobufCMessageDescriptor *descriptor = onvera_pbc_find(full_name);
  if (descriptor == NULL) {
    return NULL;
  }
  return protobuf_c_message_unpack(descriptor, NULL, length, data);
}

ProtobufCMessage *onvera_pbc_unpack_with(const ProtobufCMessageDescriptor *descriptor,
                                         const uint8_t *data, size_t length) {
  return protobuf_c_message_unpack(descriptor, NULL, length, data);
}

size_t onvera_pbc_packed_size(const ProtobufCMessage *message) {
  return protobuf_c_message_get_packed_size(message);
}

size_t onvera_pbc_pack(const ProtobufCMessage *message, uint8_t *out) {
  return protobuf_c_message_pack(message, out);
}

void onvera_pbc_free(ProtobufCMessage *message) {
  protobuf_c_message_free_unpacked(message, NULL);
}

int onvera_pbc_has_field(const ProtobufCMessageDescriptor *descriptor, uint32_t number) {
  return protobuf_c_message_descriptor_get_field(descriptor, number) != NULL;
}

const ProtobufCMessageDescriptor *onvera_pbc_descriptor_at(size_t index) {
  for (size_t i = 0; i <= index; i++) {
    if (onvera_pbc_descriptors[i] == NULL) {
      return NULL;
    }
  }
  return onvera_pbc_descriptors[index];
}
