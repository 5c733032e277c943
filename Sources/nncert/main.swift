print("nncert")
