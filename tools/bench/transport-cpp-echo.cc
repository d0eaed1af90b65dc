// The echo service (Get, Expand) in C++ on Debian's gRPC, the fast reference for
// tools/bench/transport: an async generic service (messages stay raw bytes, so no
// generated code is needed) on completion queues, one queue and thread per core.
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

class Call {
 public:
  Call(grpc::AsyncGenericService* service, grpc::ServerCompletionQueue* cq)
      : service_(service), cq_(cq), stream_(&context_) {
    service_->RequestCall(&context_, &stream_, cq_, cq_, this);
  }

  void Proceed(bool ok) {
    switch (state_) {
      case State::kRequested:
        if (!ok) {
          delete this;
          return;
        }
        new Call(service_, cq_);
        if (context_.method() == "/onvera.echo.Echo/Expand") {
          expand_ = true;
          remaining_ = 3;
          auto it = context_.client_metadata().find("x-echo-count");
          if (it != context_.client_metadata().end()) {
            remaining_ = std::atoi(std::string(it->second.data(), it->second.size()).c_str());
          }
        } else if (context_.method() != "/onvera.echo.Echo/Get") {
          Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "unknown method"));
          return;
        }
        state_ = State::kReading;
        stream_.Read(&request_, this);
        return;
      case State::kReading:
        if (!ok) {
          Finish(grpc::Status(grpc::StatusCode::INTERNAL, "no request message"));
        } else if (!expand_) {
          state_ = State::kFinished;
          stream_.WriteAndFinish(request_, grpc::WriteOptions(), grpc::Status::OK, this);
        } else {
          WriteNext();
        }
        return;
      case State::kWriting:
        if (!ok) {
          Finish(grpc::Status(grpc::StatusCode::CANCELLED, "write failed"));
        } else {
          WriteNext();
        }
        return;
      case State::kFinished:
        delete this;
        return;
    }
  }

 private:
  enum class State { kRequested, kReading, kWriting, kFinished };

  void WriteNext() {
    if (remaining_ <= 0) {
      Finish(grpc::Status::OK);
    } else if (remaining_-- == 1) {
      state_ = State::kFinished;
      stream_.WriteAndFinish(request_, grpc::WriteOptions(), grpc::Status::OK, this);
    } else {
      state_ = State::kWriting;
      stream_.Write(request_, this);
    }
  }

  void Finish(const grpc::Status& status) {
    state_ = State::kFinished;
    stream_.Finish(status, this);
  }

  grpc::AsyncGenericService* service_;
  grpc::ServerCompletionQueue* cq_;
  grpc::GenericServerContext context_;
  grpc::GenericServerAsyncReaderWriter stream_;
  grpc::ByteBuffer request_;
  State state_ = State::kRequested;
  bool expand_ = false;
  int remaining_ = 0;
};

}  // namespace

int main() {
  grpc::AsyncGenericService service;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterAsyncGenericService(&service);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, 1024);
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<grpc::ServerCompletionQueue>> queues;
  for (unsigned i = 0; i < cores; i++) queues.push_back(builder.AddCompletionQueue());
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  std::printf("listening on 127.0.0.1:%d\n", port);
  std::fflush(stdout);
  std::vector<std::thread> threads;
  for (auto& queue : queues) {
    grpc::ServerCompletionQueue* cq = queue.get();
    threads.emplace_back([&service, cq] {
      // Enough outstanding requests for 256 concurrent streams.
      for (int i = 0; i < 300; i++) new Call(&service, cq);
      void* tag;
      bool ok;
      while (cq->Next(&tag, &ok)) static_cast<Call*>(tag)->Proceed(ok);
    });
  }
  server->Wait();
}
