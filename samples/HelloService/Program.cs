using Tessera;

TesseraServer.Run(args, tessera => tessera.AddAccounts().AddBson());
