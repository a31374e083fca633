namespace Automation.Core.Journeys.Definitions;

/// <summary>Strongly connected components of a directed graph given as adjacency lists.</summary>
internal static class StrongComponents
{
    /// <summary>Tarjan's strongly connected components of the nodes in <paramref name="within"/>, without recursion.</summary>
    public static List<List<int>> Of(List<int>[] edges, bool[] within)
    {
        var n = edges.Length;
        var order = new int[n];
        var low = new int[n];
        var onStack = new bool[n];
        Array.Fill(order, -1);
        var stack = new Stack<int>();
        var work = new Stack<(int Node, int Edge)>();
        var components = new List<List<int>>();
        var counter = 0;

        for (var root = 0; root < n; root++)
        {
            if (!within[root] || order[root] >= 0) continue;
            work.Push((root, 0));
            while (work.TryPop(out var frame))
            {
                var (v, e) = frame;
                if (e == 0)
                {
                    order[v] = low[v] = counter++;
                    stack.Push(v);
                    onStack[v] = true;
                }
                else
                {
                    // Back from the child reached through edge e - 1.
                    low[v] = Math.Min(low[v], low[edges[v][e - 1]]);
                }

                var descended = false;
                for (; e < edges[v].Count; e++)
                {
                    var w = edges[v][e];
                    if (!within[w]) continue;
                    if (order[w] < 0)
                    {
                        work.Push((v, e + 1));
                        work.Push((w, 0));
                        descended = true;
                        break;
                    }

                    if (onStack[w]) low[v] = Math.Min(low[v], order[w]);
                }

                if (descended || low[v] != order[v]) continue;
                var component = new List<int>();
                int x;
                do
                {
                    x = stack.Pop();
                    onStack[x] = false;
                    component.Add(x);
                }
                while (x != v);
                components.Add(component);
            }
        }

        return components;
    }
}
