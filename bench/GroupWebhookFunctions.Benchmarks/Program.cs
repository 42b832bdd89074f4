using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(GroupWebhookFunctions.Benchmarks.ReceiveBenchmarks).Assembly).Run(args);
