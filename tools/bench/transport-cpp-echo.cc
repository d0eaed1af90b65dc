// The echo service (Get, Expand) in C++ on Debian's gRPC, the fast reference
// for tools/bench/transport. A generic callback service: messages stay raw bytes,
// so no generated code is needed; gRPC's own thread pool serves the calls.
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

class EchoReactor : public grpc::ServerGenericBidiReactor {
 public:
  explicit EchoReactor(grpc::GenericCallbackServerContext* context) {
    const std::string& method = context->method();
    expand_ = method == "/onvera.echo.Echo/Expand";
    if (!expand_ && method != "/onvera.echo.Echo/Get") {
      Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "unknown method"));
      return;
    }
    if (expand_) {
      remaining_ = 3;
      auto it = context->client_metadata().find("x-echo-count");
      if (it != context->client_metadata().end()) {
        remaining_ = std::atoi(std::string(it->second.data(), it->second.size()).c_str());
      }
    }
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::INTERNAL, "no request message"));
      return;
    }
    if (!expand_) {
      StartWriteAndFinish(&request_, grpc::WriteOptions(), grpc::Status::OK);
      return;
    }
    WriteNext();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "write failed"));
      return;
    }
    WriteNext();
  }

  void OnDone() override { delete this; }

 private:
  void WriteNext() {
    if (remaining_ <= 0) {
      Finish(grpc::Status::OK);
    } else if (remaining_-- == 1) {
      StartWriteAndFinish(&request_, grpc::WriteOptions(), grpc::Status::OK);
    } else {
      StartWrite(&request_);
    }
  }

  grpc::ByteBuffer request_;
  bool expand_ = false;
  int remaining_ = 0;
};

class EchoService : public grpc::CallbackGenericService {
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* context) override {
    return new EchoReactor(context);
  }
};

}  // namespace

int main() {
  EchoService service;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterCallbackGenericService(&service);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, 1024);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  std::printf("listening on 127.0.0.1:%d\n", port);
  std::fflush(stdout);
  server->Wait();
}
