return FacetMlNet.Cli.FacetMlCli.Invoke(args);
