using Automation.Functions.Hosting;

// Locally: `dotnet run` serves http://127.0.0.1:7071 against Azurite. Under the Functions host the
// handler listens on FUNCTIONS_CUSTOMHANDLER_PORT; everything else is in AutomationApp.
AutomationApp.Build(args).Run();
