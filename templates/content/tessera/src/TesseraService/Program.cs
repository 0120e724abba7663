using Tessera;

// Serves every [Method] of this assembly on http://127.0.0.1:8888 (tessera.json, TESSERA__* variables and the
// command line change it: --port=9000, --database=postgres, --help lists every option).
TesseraServer.Run(args, tessera => tessera.AddAccounts());
