from . import logistics_quote_analysis
