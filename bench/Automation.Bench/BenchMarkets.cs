namespace Automation.Bench;

/// <summary>One market of the generated store: its share of customers, its zones and locales with their shares, and names.</summary>
internal sealed record BenchMarket(
    string Country, double Share, (string Zone, double Share)[] Zones, (string Locale, double Share)[] Locales, string[] FirstNames, string[] LastNames)
{
    /// <summary>
    /// The nine markets of the shipped holiday calendars. Shares are rough guesses at a Western store selling
    /// abroad; zones follow where people live (most of the US in the Eastern and Central zones, most of Russia
    /// on Moscow time), so a push at 10:00 local time falls in many different hours. Countries with one civil
    /// time get it from the country, as the profile reducer infers it; the others from the customer.
    /// </summary>
    public static readonly BenchMarket[] All =
    [
        new("US", 0.30,
            [("America/New_York", 0.45), ("America/Chicago", 0.29), ("America/Denver", 0.06), ("America/Phoenix", 0.02),
             ("America/Los_Angeles", 0.17), ("America/Anchorage", 0.005), ("Pacific/Honolulu", 0.005)],
            [("en-US", 0.92), ("es-US", 0.08)],
            ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "Maria", "Jose"],
            ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "O'Brien", "Nguyen"]),
        new("GB", 0.12, [("Europe/London", 1)], [("en-GB", 1)],
            ["Oliver", "Olivia", "George", "Amelia", "Harry", "Isla", "Noah", "Ava", "Jack", "Emily"],
            ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Evans"]),
        new("DE", 0.12, [("Europe/Berlin", 1)], [("de-DE", 1)],
            ["Lukas", "Emma", "Leon", "Mia", "Finn", "Hannah", "Jonas", "Sophie", "Jürgen", "Lena"],
            ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann"]),
        new("FR", 0.10, [("Europe/Paris", 1)], [("fr-FR", 1)],
            ["Gabriel", "Louise", "Raphaël", "Jade", "Léo", "Ambre", "Louis", "Alice", "Hélène", "Noé"],
            ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Lefèvre"]),
        new("ES", 0.06, [("Europe/Madrid", 0.95), ("Atlantic/Canary", 0.05)], [("es-ES", 0.9), ("ca-ES", 0.1)],
            ["Hugo", "Lucía", "Martín", "Sofía", "Mateo", "Martina", "Pablo", "María", "Álvaro", "Paula"],
            ["García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Muñoz"]),
        new("BR", 0.10,
            [("America/Sao_Paulo", 0.80), ("America/Bahia", 0.05), ("America/Fortaleza", 0.05), ("America/Recife", 0.04),
             ("America/Manaus", 0.04), ("America/Belem", 0.02)],
            [("pt-BR", 1)],
            ["Miguel", "Helena", "Arthur", "Alice", "Heitor", "Laura", "João", "Valentina", "Conceição", "Gael"],
            ["Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima", "Gomes"]),
        new("RU", 0.06,
            [("Europe/Moscow", 0.65), ("Asia/Yekaterinburg", 0.10), ("Asia/Novosibirsk", 0.08), ("Europe/Samara", 0.05),
             ("Asia/Krasnoyarsk", 0.05), ("Asia/Vladivostok", 0.04), ("Europe/Kaliningrad", 0.03)],
            [("ru-RU", 1)],
            ["Александр", "Анна", "Дмитрий", "Мария", "Максим", "Елена", "Сергей", "Ольга", "Иван", "Наталья"],
            ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков", "Фёдоров"]),
        new("CN", 0.06, [("Asia/Shanghai", 1)], [("zh-CN", 1)],
            ["伟", "芳", "娜", "敏", "静", "磊", "强", "洋", "艳", "军"],
            ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"]),
        new("IN", 0.08, [("Asia/Kolkata", 1)], [("en-IN", 0.85), ("hi-IN", 0.15)],
            ["Aarav", "Saanvi", "Vivaan", "Ananya", "Aditya", "Diya", "Arjun", "Priya", "Rahul", "Kavya"],
            ["Sharma", "Verma", "Patel", "Gupta", "Singh", "Kumar", "Reddy", "Iyer", "Nair", "Das"]),
    ];

    /// <summary>Every locale the generator gives a customer.</summary>
    public static IEnumerable<string> AllLocales => All.SelectMany(m => m.Locales.Select(l => l.Locale));

    /// <summary>Shopify product types, the lines' categories; each customer leans to one of them.</summary>
    public static readonly string[] Categories =
        ["Apparel", "Shoes", "Accessories", "Beauty", "Home", "Kitchen", "Toys", "Books", "Electronics", "Jewelry", "Sports", "Garden"];
}
