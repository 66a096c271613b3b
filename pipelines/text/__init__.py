"""Vietnamese text helpers shared by every reader: normalisation, names, periods, areas."""
