// onvera-server: parses arguments and hands over to the OnveraServer library.
//
// The API server is not assembled yet: the transport, store and orchestrator
// it runs on are being built (see README.md, "Status"). Until then this
// executable says what it will serve and exits, rather than pretending.
#if canImport(Glibc)
import Glibc
#endif

let message = """
  onvera-server: the API server is not assembled yet.
  When it is, `tools/run` starts it in the foreground serving gRPC (h2c) on 127.0.0.1:50051
  with its data under .onvera/, and on first start prints an API key and the
  `onvera auth login` command to use. See README.md, "Status".

  """
var text = message
text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
exit(2)
