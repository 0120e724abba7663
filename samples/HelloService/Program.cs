using Tessera;

TesseraServer.Run(args);
