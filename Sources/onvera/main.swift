// onvera: parses arguments and hands over to the OnveraCLI library.
import OnveraCLI

#if canImport(Glibc)
import Glibc
#endif

exit(await OnveraCommand.run(arguments: Array(CommandLine.arguments.dropFirst())))
