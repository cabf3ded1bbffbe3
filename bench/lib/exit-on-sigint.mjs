// Preloaded (--import) into the sample app when profiling: exit normally on SIGINT so --cpu-prof writes its profile
// (Nest's shutdown hook re-raises the signal, and a process killed by a signal writes no profile).
process.on('SIGINT', () => process.exit(0));
